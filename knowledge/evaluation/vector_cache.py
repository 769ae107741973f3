"""An embedder that keeps every vector it made in a file, so `make eval` embeds a text once.

Evaluation ingests every corpus into a fresh store each run (parsing and chunking are what is
measured, and they change); only the model's work is remembered, keyed by the embedder's name,
the prompt and the exact text, so a vector can never stand for another text or model.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from threading import Lock

import numpy as np

from index.embedder import TextEmbedder, embedder_family


class CachedEmbedder:
    """Wraps a `TextEmbedder`; vectors are read from (and written to) one SQLite file."""

    def __init__(self, inner: TextEmbedder, path: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.family = embedder_family(inner)
        self.dim = inner.dim
        self.batch_size = inner.batch_size
        self.query_prompt = inner.query_prompt
        self.passage_prompt = inner.passage_prompt
        path.parent.mkdir(parents=True, exist_ok=True)
        # Several runs (make eval, the quality tests) may share the file: wait for its lock.
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=120)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, v BLOB)")
        self._lock = Lock()

    def _key(self, prompt: str, text: str) -> str:
        return hashlib.sha256(f"{self.name}\n{prompt}{text}".encode()).hexdigest()

    def _cached(
        self, prompt: str, texts: list[str], embed: Callable[[list[str]], np.ndarray]
    ) -> np.ndarray:
        keys = [self._key(prompt, t) for t in texts]
        found: dict[str, bytes] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                marks = ",".join("?" * len(part))
                found.update(self._db.execute(
                    f"SELECT key, v FROM vectors WHERE key IN ({marks})", part
                ).fetchall())
        todo = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in found))
        if todo:
            made = np.asarray(embed(todo), dtype=np.float32)
            rows = [(self._key(prompt, t), v.tobytes()) for t, v in zip(todo, made, strict=True)]
            with self._lock:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
                self._db.commit()
            found.update(rows)
        return np.stack([np.frombuffer(found[k], dtype=np.float32) for k in keys]) if keys \
            else np.zeros((0, self.dim), dtype=np.float32)

    def clear_cache(self) -> None:
        """Clear the wrapped embedder's memory cache (the file stays)."""
        self.inner.clear_cache()

    def embed_query(self, text: str) -> np.ndarray:
        """One question's vector."""
        return self._cached("query", [text], self.inner.embed_queries)[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Questions' vectors."""
        return self._cached("query", texts, self.inner.embed_queries)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Passages' (and sentences') vectors."""
        return self._cached("passage", texts, self.inner.embed_passages)

    def close(self) -> None:
        """Close the file."""
        self._db.close()
