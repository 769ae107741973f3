"""Deterministic stand-ins for the slow parts: a hashing embedder with `Embedder`'s surface.

In the spirit of simonw/llm's `EmbedDemo`: mechanics tests (storage, ingest, curation, the ask
log) need vectors that are stable and that put texts sharing words near each other, not a
model. Nothing here imports torch or sentence-transformers.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import numpy as np

FAKE_DIM = 64
_WORD = re.compile(r"\w+")


def plain_words(text: str) -> list[str]:
    """Lowercased runs of letters, digits and `_` (Hangul included): the fake's words."""
    return _WORD.findall(text.lower())


def _bucket_and_sign(word: str, dim: int) -> tuple[int, float]:
    # hashlib, not hash(): Python salts str hashes per process, and the vectors must be the
    # same in every run (they are stored in the database and compared across cores).
    digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dim, 1.0 if (value >> 32) & 1 else -1.0


class FakeEmbedder:
    """Each word hashed into a signed bucket of a `dim`-vector, L2-normalised.

    The same public surface as `index.embedder.Embedder` (name, dim, batch_size, the two
    prompts, clear_cache, embed_query / embed_queries / embed_passages). Prompts are kept but
    not embedded, so a question and a passage with the same words get the same vector.
    """

    def __init__(
        self,
        dim: int = FAKE_DIM,
        *,
        name: str | None = None,
        batch_size: int = 32,
        words: Callable[[str], list[str]] = plain_words,
    ) -> None:
        self.dim = dim
        self.name = name or f"fake-hash-{dim}"
        self.batch_size = batch_size
        self.query_prompt = "query: "
        self.passage_prompt = "passage: "
        self._words = words
        # Every text embed_passages was given, in order: lets a test see what was (re)embedded.
        self.embedded_passages: list[str] = []

    def vector(self, text: str) -> np.ndarray:
        """The unit vector of one text (a text with no words gets the empty word's bucket)."""
        out = np.zeros(self.dim, dtype=np.float32)
        for word in self._words(text) or [""]:
            bucket, sign = _bucket_and_sign(word, self.dim)
            out[bucket] += sign
        norm = float(np.linalg.norm(out))
        if norm == 0.0:  # signs cancelled out exactly: fall back to the empty word's bucket
            bucket, sign = _bucket_and_sign("", self.dim)
            out[bucket], norm = sign, 1.0
        return out / norm

    def _matrix(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.vector(text) for text in texts])

    def clear_cache(self) -> None:
        """Nothing to forget: the fake keeps no cache (the real one's surface)."""

    def embed_query(self, text: str) -> np.ndarray:
        """The unit vector of one question."""
        return self.vector(" ".join(text.split()))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of several questions."""
        return self._matrix(list(texts))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of passages (and a record of which were asked for)."""
        self.embedded_passages.extend(texts)
        return self._matrix(list(texts))


class EmbedderFailure(RuntimeError):
    """The failure a `FailingEmbedder` raises (a model crash, out of memory…)."""


class FailingEmbedder(FakeEmbedder):
    """A `FakeEmbedder` whose passage embedding raises on the `fail_on`-th call (1-based)."""

    def __init__(self, fail_on: int, *, batch_size: int = 32) -> None:
        super().__init__(batch_size=batch_size)
        self.fail_on = fail_on
        self.passage_calls = 0

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Like the fake's, except that the `fail_on`-th call raises `EmbedderFailure`."""
        self.passage_calls += 1
        if self.passage_calls == self.fail_on:
            raise EmbedderFailure(f"embedding batch {self.passage_calls} failed")
        return super().embed_passages(texts)
