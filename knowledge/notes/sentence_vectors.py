"""Sentence vectors: one per distinct sentence of a passage, embedded as a passage, no context."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import select

from index.embedder import TextEmbedder
from knowledge.answering.compose import split_sentences
from knowledge.store.database import Store
from knowledge.store.models import Passage, Section, Source


def passage_sentences(text: str) -> list[str]:
    """A passage's distinct sentences, in the order its `sentence_tokens` lines follow."""
    return list(dict.fromkeys(split_sentences(text)))


def embed_sentence_vectors(embedder: TextEmbedder, texts: list[str],
                           known: dict[str, bytes] | None = None) -> list[bytes]:
    """For each passage text, its sentences' vectors as one float32 blob (b"" for none).

    A sentence shared by several passages (overlapping chunks, copied days) is embedded once,
    and one in `known` (its vector's bytes by sentence) not at all.
    """
    per_passage = [passage_sentences(text) for text in texts]
    vectors: dict[str, bytes] = dict(known or {})
    unique = list(dict.fromkeys(
        s for sentences in per_passage for s in sentences if s not in vectors))
    # Batches of alike lengths pad least.
    pending = sorted(unique, key=len, reverse=True)
    size = max(1, embedder.batch_size)
    for start in range(0, len(pending), size):
        batch = pending[start : start + size]
        for sentence, vector in zip(batch, embedder.embed_passages(batch), strict=True):
            vectors[sentence] = np.asarray(vector, dtype=np.float32).tobytes()
    return [b"".join(vectors[s] for s in sentences) for sentences in per_passage]


def stored_sentence_vectors(store: Store, paths: Sequence[str], embedder_name: str,
                            dim: int) -> dict[str, bytes]:
    """The sentence vectors stored with the passages of these sources by this embedder, by
    sentence: a note edited and ingested again keeps its unchanged sentences' vectors."""
    found: dict[str, bytes] = {}
    if not paths:
        return found
    with store.session() as session:
        for start in range(0, len(paths), 500):
            rows = session.execute(
                select(Passage.text, Passage.sentence_vectors)
                .join(Section, Passage.section_id == Section.id)
                .join(Source, Section.source_id == Source.id)
                .where(Source.path.in_(paths[start : start + 500]),
                       Passage.embedder == embedder_name)
            )
            for text, blob in rows:
                sentences = passage_sentences(text)
                if not blob or len(blob) != len(sentences) * dim * 4:
                    continue  # none stored, or by another splitter: embed them again
                for sentence, row in zip(sentences, sentence_matrix(blob, dim), strict=True):
                    found.setdefault(sentence, row.tobytes())
    return found


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
