"""Sentence embeddings for questions and passages, with e5-style prompts and a query cache."""

from __future__ import annotations

import hashlib
import logging
import os
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from threading import Lock
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

TORCH_VARIANT = "torch"


class TextEmbedder(Protocol):
    """What the core needs of an embedder: `Embedder`, `OnnxEmbedder` or a test's fake.

    `name` is `<family>/<variant>`: the family names the weights (vectors of one family are
    comparable), the variant how they ran (`torch`, `onnx`, `onnx-int8`).
    """

    name: str
    dim: int
    batch_size: int
    query_prompt: str
    passage_prompt: str

    def clear_cache(self) -> None: ...
    def embed_query(self, text: str) -> np.ndarray: ...
    def embed_queries(self, texts: list[str]) -> np.ndarray: ...
    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


def family_of(name: str) -> str:
    """The family part of an embedder name `<family>/<variant>` (a name without a variant is
    all family)."""
    return name.rsplit("/", 1)[0] if "/" in name else name


def embedder_family(embedder: TextEmbedder) -> str:
    """An embedder's family: its `family` attribute, else the family part of its name."""
    return str(getattr(embedder, "family", None) or family_of(embedder.name))


class VectorCache:
    """The vectors of recently embedded texts, the least recently used dropped first; safe to
    share between threads (the model runs outside its lock)."""

    def __init__(self, size: int) -> None:
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._size = size
        self._lock = Lock()

    def encode(self, texts: list[str], encode: Callable[[list[str]], np.ndarray],
               dim: int) -> np.ndarray:
        """The texts' vectors: those seen recently from the cache, the rest from `encode`."""
        out: list[np.ndarray | None] = []
        with self._lock:
            for text in texts:
                hit = self._vectors.get(text)
                if hit is not None:
                    self._vectors.move_to_end(text)
                out.append(hit)
        missing = [i for i, vector in enumerate(out) if vector is None]
        if missing:
            fresh = encode([texts[i] for i in missing])
            with self._lock:
                for i, vector in zip(missing, fresh, strict=True):
                    out[i] = vector
                    self._vectors[texts[i]] = vector
                while len(self._vectors) > self._size:
                    self._vectors.popitem(last=False)
        if not out:
            return np.zeros((0, dim), dtype=np.float32)
        return np.stack(out)  # type: ignore[arg-type]

    def clear(self) -> None:
        """Forget every cached vector."""
        with self._lock:
            self._vectors.clear()


class Embedder:
    """A sentence-transformers model run on the CPU in float32, with unit-norm outputs."""

    def __init__(
        self,
        model_path: Path,
        *,
        query_prompt: str = "query: ",
        passage_prompt: str = "passage: ",
        threads: int = 1,
        batch_size: int = 32,
        cache_size: int = 4096,
    ) -> None:
        # Import late: torch and sentence-transformers cost seconds, and tools that only
        # read the database should not pay for them.
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.logging.disable_progress_bar()

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        self._torch = torch
        self._threads = threads
        self.model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True)
        self.model.float()  # stored in float16 to halve the disk; float16 matmuls are slow on CPUs
        self.model.eval()
        self.family = model_identity(Path(model_path))
        self.name = f"{self.family}/{TORCH_VARIANT}"
        dimension = (
            getattr(self.model, "get_embedding_dimension", None)
            or self.model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension() or 0)
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.batch_size = batch_size
        self._cache = VectorCache(cache_size)
        self._lock = Lock()  # torch's thread count is process-wide: one encode at a time

    def _encode(self, texts: list[str], threads: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            # One question is fastest on few threads; a batch of passages wants them all.
            self._torch.set_num_threads(threads)
            vectors = self.model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _encode_cached(self, texts: list[str], threads: int) -> np.ndarray:
        """Encode prompted texts, taking those seen recently from the cache."""
        return self._cache.encode(texts, lambda fresh: self._encode(fresh, threads), self.dim)

    def clear_cache(self) -> None:
        """Forget recently embedded texts (a benchmark then measures real embedding)."""
        self._cache.clear()

    def embed_query(self, text: str) -> np.ndarray:
        """The unit vector of one question (a repeated question comes from the cache)."""
        return self._encode_cached([self.query_prompt + " ".join(text.split())], self._threads)[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of several questions (curated phrasings), in one batch."""
        return self._encode_cached([self.query_prompt + t for t in texts], os.cpu_count() or 1)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of stored passages, batched on every core."""
        return self._encode_cached([self.passage_prompt + t for t in texts], os.cpu_count() or 1)


def model_identity(model_path: Path) -> str:
    """A stable name for a model folder: its name plus a digest of its config and weights size
    (an embedder's `family`: the same for every engine that runs these weights)."""
    digest = hashlib.sha256()
    for item in sorted(model_path.rglob("*")):
        if item.is_file() and item.suffix in {".json", ".txt", ".safetensors", ".bin"}:
            digest.update(item.relative_to(model_path).as_posix().encode())
            digest.update(str(item.stat().st_size).encode())
    return f"{model_path.name}:{digest.hexdigest()[:12]}"


def vector_to_bytes(vector: np.ndarray) -> bytes:
    """A compact float32 blob for the database."""
    return np.asarray(vector, dtype=np.float32).tobytes()


def vectors_from_bytes(blobs: list[bytes], dim: int) -> np.ndarray:
    """Stack float32 blobs back into an (n, dim) matrix."""
    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dim).copy()
