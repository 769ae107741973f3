"""The search indexes as a cache of the database: loaded, rebuilt from stored vectors, caught up;
and the stored vectors another embedder made, embedded again (at open, or on request)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from index.embedder import TextEmbedder, vectors_from_bytes
from index.search import FusionWeights, HybridIndex
from index.tokens import Tokenizer
from index.vectors import VectorIndex
from knowledge.notes.ingest import IndexedPassage, Progress
from knowledge.reembedding import (
    embed_missing_sentences,
    logged_progress,
    passages_to_re_embed,
    re_embed_passages,
    re_embed_phrases,
    vector_policy,
)
from knowledge.settings import Settings
from knowledge.store.database import Store
from knowledge.store.models import Passage, Section, Source

log = logging.getLogger(__name__)

PassageRow = Row[int, int, str, str]  # (id, section_id, tokens, space)
CHANGE_BATCH = 500  # ids per IN (...) when reading added passages


def fusion_weights(settings: Settings) -> FusionWeights:
    """How the dense and lexical rankings combine, from the settings."""
    return FusionWeights(
        dense=settings.dense_weight, lexical=settings.lexical_weight, rrf_k=settings.rrf_k,
        glossary=settings.glossary_weight,
    )


def _indexed_rows(store: Store) -> Sequence[PassageRow]:
    """(id, section_id, tokens, space) of every stored passage, by id."""
    with store.session() as session:
        return session.execute(
            select(Passage.id, Passage.section_id, Passage.tokens, Source.space)
            .join(Section, Passage.section_id == Section.id)
            .join(Source, Section.source_id == Source.id)
            .order_by(Passage.id)
        ).all()


def stored_vectors(store: Store, ids: list[int], dim: int) -> np.ndarray:
    """The stored vectors of passages, in the order of `ids`."""
    with store.session() as session:
        blobs = dict(session.execute(
            select(Passage.id, Passage.vector).where(Passage.id.in_(ids))
        ).all())
    return vectors_from_bytes([blobs[i] for i in ids], dim)


def load_index(
    store: Store, embedder: TextEmbedder, tokenizer: Tokenizer, folder: Path, weights: FusionWeights
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
              [r.tokens.split() for r in rows], [r.space for r in rows])
    return index


def rebuild_index(
    store: Store, embedder: TextEmbedder, tokenizer: Tokenizer, folder: Path, weights: FusionWeights
) -> HybridIndex:
    """A fresh index of every stored passage from the stored vectors (nothing re-embedded),
    saved with its manifest."""
    return _build(store, embedder, tokenizer, folder, weights, _indexed_rows(store))


def _build(
    store: Store, embedder: TextEmbedder, tokenizer: Tokenizer, folder: Path,
    weights: FusionWeights, rows: Sequence[PassageRow],
) -> HybridIndex:
    ids = [r.id for r in rows]
    index = HybridIndex(VectorIndex(embedder.dim), weights, tokenizer)
    vectors = stored_vectors(store, ids, embedder.dim) if ids else None
    index.add(ids, [r.section_id for r in rows], vectors, [r.tokens.split() for r in rows],
              [r.space for r in rows])
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
                           vector=r.vector, space=r.space)
            for r in session.execute(
                select(Passage.id, Passage.section_id, Passage.tokens, Passage.vector,
                       Source.space)
                .join(Section, Passage.section_id == Section.id)
                .join(Source, Section.source_id == Source.id)
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
        [p.space if p.space is not None else index.space_of_section.get(p.section_id, "")
         for p in added],
    )


def re_embed_foreign(store: Store, embedder: TextEmbedder, settings: Settings) -> int:
    """Before the index loads: embed again the passages another model's weights made, so a
    different model never meets old vectors (another variant of the same weights is kept).
    Each batch is committed on its own; a killed run continues at the next open. Passages
    stored without sentence vectors get theirs."""
    ids = passages_to_re_embed(store, vector_policy(embedder, settings).foreign)
    if not ids:
        _embed_missing_sentences(store, embedder)
        return 0
    log.warning("%d stored passages were embedded by another model: embedding them again "
                "with %s before the index loads", len(ids), embedder.name)
    done = re_embed_passages(store, embedder, ids, with_context=settings.chunk_context,
                             progress=logged_progress("re-embedding"))
    _embed_missing_sentences(store, embedder)
    return done


def _embed_missing_sentences(store: Store, embedder: TextEmbedder) -> None:
    """Sentence vectors for passages stored before they were kept (`sentence_top` reads them)."""
    done = embed_missing_sentences(store, embedder, progress=logged_progress("sentences"))
    if done:
        log.warning("embedded the sentences of %d passages stored without them", done)


def re_embed_outdated(
    store: Store, embedder: TextEmbedder, tokenizer: Tokenizer, settings: Settings,
    *, progress: Progress | None = None,
) -> tuple[int, int]:
    """Embed again every passage and curated phrasing that another embedder (or another
    variant of this one) made, in batches, each committed with its index update; the index is
    saved at the end. Returns (passages, phrasings) re-embedded."""
    policy = vector_policy(embedder, settings)
    phrases = re_embed_phrases(store, embedder, policy.outdated)
    folder = settings.resolved_index_dir
    re_embed_foreign(store, embedder, settings)  # the index must not load from other weights
    index = load_index(store, embedder, tokenizer, folder, fusion_weights(settings))
    ids = passages_to_re_embed(store, policy.outdated)
    if not ids:
        return 0, phrases
    # Until the last batch, the saved index claims another model: a run killed midway makes
    # the next open rebuild it from the database, which holds every batch committed.
    index.vectors.save(folder, f"{embedder.name} (re-embedding)")

    def update_index(batch: list[IndexedPassage]) -> None:
        apply_changes(index, [p.id for p in batch], batch, embedder.dim)

    done = re_embed_passages(store, embedder, ids, with_context=settings.chunk_context,
                             on_batch=update_index, progress=progress)
    index.vectors.save(folder, embedder.name)
    return done, phrases
