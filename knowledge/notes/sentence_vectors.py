"""Sentence vectors: one per distinct sentence of a passage, embedded as a passage, no context."""

from __future__ import annotations

import numpy as np

from index.embedder import TextEmbedder
from knowledge.answering.compose import split_sentences


def passage_sentences(text: str) -> list[str]:
    """A passage's distinct sentences, in the order its `sentence_tokens` lines follow."""
    return list(dict.fromkeys(split_sentences(text)))


def embed_sentence_vectors(embedder: TextEmbedder, texts: list[str]) -> list[bytes]:
    """For each passage text, its sentences' vectors as one float32 blob (b"" for none).

    A sentence shared by several passages (overlapping chunks, copied days) is embedded once.
    """
    per_passage = [passage_sentences(text) for text in texts]
    unique = list(dict.fromkeys(s for sentences in per_passage for s in sentences))
    # Batches of alike lengths pad least.
    pending = sorted(unique, key=len, reverse=True)
    size = max(1, embedder.batch_size)
    vectors: dict[str, bytes] = {}
    for start in range(0, len(pending), size):
        batch = pending[start : start + size]
        for sentence, vector in zip(batch, embedder.embed_passages(batch), strict=True):
            vectors[sentence] = np.asarray(vector, dtype=np.float32).tobytes()
    return [b"".join(vectors[s] for s in sentences) for sentences in per_passage]


def embed_with_sentences(
    embedder: TextEmbedder, embed_texts: list[str], texts: list[str]
) -> tuple[np.ndarray, list[bytes]]:
    """Passage vectors of `embed_texts` and the sentence blobs of `texts` (the same passages
    without context), in one call: a batch of passages succeeds or fails whole."""
    per_passage = [passage_sentences(text) for text in texts]
    unique = list(dict.fromkeys(s for sentences in per_passage for s in sentences))
    vectors = np.asarray(embedder.embed_passages([*embed_texts, *unique]), dtype=np.float32)
    rows = {sentence: vectors[len(embed_texts) + i].tobytes() for i, sentence in enumerate(unique)}
    blobs = [b"".join(rows[s] for s in sentences) for sentences in per_passage]
    return vectors[: len(embed_texts)], blobs


def sentence_matrix(blob: bytes | None, dim: int) -> np.ndarray:
    """The (sentences, dim) matrix of a stored blob; no rows when there is none."""
    if not blob:
        return np.zeros((0, dim), dtype=np.float32)
    return np.frombuffer(blob, dtype=np.float32).reshape(-1, dim)
