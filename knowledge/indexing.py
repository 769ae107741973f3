"""The search indexes as a cache of the database: loaded, rebuilt from stored vectors, caught up."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from index.embedder import Embedder, vectors_from_bytes
from index.search import FusionWeights, HybridIndex
from index.tokens import Tokenizer
from index.vectors import VectorIndex
from knowledge.notes.ingest import IndexedPassage
from knowledge.settings import Settings
from knowledge.store.database import Store
from knowledge.store.models import Passage

log = logging.getLogger(__name__)

PassageRow = Row[int, int, str]  # (id, section_id, tokens)
CHANGE_BATCH = 500  # ids per IN (...) when reading added passages


def fusion_weights(settings: Settings) -> FusionWeights:
    """How the dense and lexical rankings combine, from the settings."""
    return FusionWeights(
        dense=settings.dense_weight, lexical=settings.lexical_weight, rrf_k=settings.rrf_k,
        glossary=settings.glossary_weight,
    )


def _indexed_rows(store: Store) -> Sequence[PassageRow]:
    """(id, section_id, tokens) of every stored passage, by id."""
    with store.session() as session:
        return session.execute(
            select(Passage.id, Passage.section_id, Passage.tokens).order_by(Passage.id)
        ).all()


def stored_vectors(store: Store, ids: list[int], dim: int) -> np.ndarray:
    """The stored vectors of passages, in the order of `ids`."""
    with store.session() as session:
        blobs = dict(session.execute(
            select(Passage.id, Passage.vector).where(Passage.id.in_(ids))
        ).all())
    return vectors_from_bytes([blobs[i] for i in ids], dim)


def load_index(
    store: Store, embedder: Embedder, tokenizer: Tokenizer, folder: Path, weights: FusionWeights
) -> HybridIndex:
    """FAISS from disk when it matches the database, else rebuilt from the stored vectors."""
    rows = _indexed_rows(store)
    ids = np.asarray([r.id for r in rows], dtype=np.int64)
    vectors = VectorIndex.load(folder, model=embedder.name, dim=embedder.dim, expected_ids=ids)
    if vectors is None:
        return _build(store, embedder, tokenizer, folder, weights, rows)
    index = HybridIndex(vectors, weights, tokenizer)
    # FAISS already holds the vectors; BM25 and the section map come from the rows.
    index.add([r.id for r in rows], [r.section_id for r in rows], None,
              [r.tokens.split() for r in rows])
    return index


def rebuild_index(
    store: Store, embedder: Embedder, tokenizer: Tokenizer, folder: Path, weights: FusionWeights
) -> HybridIndex:
    """A fresh index of every stored passage from the stored vectors (nothing re-embedded),
    saved with its manifest."""
    return _build(store, embedder, tokenizer, folder, weights, _indexed_rows(store))


def _build(
    store: Store, embedder: Embedder, tokenizer: Tokenizer, folder: Path,
    weights: FusionWeights, rows: Sequence[PassageRow],
) -> HybridIndex:
    ids = [r.id for r in rows]
    index = HybridIndex(VectorIndex(embedder.dim), weights, tokenizer)
    vectors = stored_vectors(store, ids, embedder.dim) if ids else None
    index.add(ids, [r.section_id for r in rows], vectors, [r.tokens.split() for r in rows])
    index.vectors.save(folder, embedder.name)
    log.info("vector index rebuilt from %d stored vectors", len(ids))
    return index


def stored_changes(
    session: Session, held: set[int]
) -> tuple[list[int], list[IndexedPassage]]:
    """Passages the index holds that the database no longer has, and the ones it lacks."""
    stored = set(session.scalars(select(Passage.id)))
    removed = sorted(held - stored)
    added = sorted(stored - held)
    rows: list[IndexedPassage] = []
    for start in range(0, len(added), CHANGE_BATCH):
        rows += [
            IndexedPassage(id=r.id, section_id=r.section_id, tokens=r.tokens.split(),
                           vector=r.vector)
            for r in session.execute(
                select(Passage.id, Passage.section_id, Passage.tokens, Passage.vector)
                .where(Passage.id.in_(added[start : start + CHANGE_BATCH]))
            )
        ]
    return removed, rows


def apply_changes(
    index: HybridIndex, removed: list[int], added: list[IndexedPassage], dim: int
) -> None:
    """Remove and add passages by id, in both the vector and the lexical index."""
    index.remove(removed)
    index.add(
        [p.id for p in added],
        [p.section_id for p in added],
        vectors_from_bytes([p.vector for p in added], dim),
        [p.tokens for p in added],
    )
