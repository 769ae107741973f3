"""Stored vectors the current embedder cannot use as they are, embedded again batch by batch.

Every stored vector records its embedder, `<family>/<variant>`. Vectors of another family come
from other weights and would be compared with questions in another space, so they are embedded
again before the index loads. Vectors of the same family but another variant (torch fp32
passages, int8 questions) are kept: measured, they find the same passages. `sunbae reindex
--re-embed` converts those too. A vector re-embedded keeps its row and id (the ask log cites
passage ids); its `embed_hash` and `embedder` follow the new embedder, and its sentence
vectors are embedded again with it. Passages stored before sentence vectors were kept get
theirs at the next open (`embed_missing_sentences`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, update

from index.embedder import TextEmbedder, embedder_family, family_of, vector_to_bytes
from knowledge.notes.ingest import IndexedPassage, Progress, content_hash, passage_context
from knowledge.notes.sentence_vectors import embed_sentence_vectors, embed_with_sentences
from knowledge.settings import Settings
from knowledge.store.database import Store
from knowledge.store.models import CuratedPhrase, Passage, Section

log = logging.getLogger(__name__)

READ_BATCH = 500  # ids per IN (...)
EmbedderTest = Callable[[str | None], bool]  # a stored row's embedder → re-embed it?
BatchDone = Callable[[list[IndexedPassage]], None]


@dataclass(frozen=True)
class VectorPolicy:
    """Which stored vectors the current embedder searches as they are.

    A NULL embedder (stored before it was recorded, always by torch) counts as the bundled
    default model's family when SUNBAE_MODEL is the default, else as another model's.
    """

    name: str
    family: str
    legacy_is_current: bool

    def foreign(self, stored: str | None) -> bool:
        """Made by other weights: never to be compared with this embedder's questions."""
        if stored is None:
            return not self.legacy_is_current
        return family_of(stored) != self.family

    def outdated(self, stored: str | None) -> bool:
        """Made by any other embedder, another variant of these weights included."""
        return stored != self.name


def vector_policy(embedder: TextEmbedder, settings: Settings) -> VectorPolicy:
    """The policy of the configured model run by `embedder`."""
    return VectorPolicy(name=embedder.name, family=embedder_family(embedder),
                        legacy_is_current=settings.model == "default")


def _matching(column: Any, names: list[str | None]) -> Any:
    """`column` is one of `names` (None meaning NULL)."""
    known = [n for n in names if n is not None]
    return or_(column.in_(known), column.is_(None)) if None in names else column.in_(known)


def passages_to_re_embed(store: Store, wanted: EmbedderTest) -> list[int]:
    """Ids of the stored passages whose embedder `wanted` picks, by id."""
    with store.session() as session:
        names = list(session.scalars(select(Passage.embedder).group_by(Passage.embedder)))
        chosen = [name for name in names if wanted(name)]
        if not chosen:
            return []
        return list(session.scalars(
            select(Passage.id).where(_matching(Passage.embedder, chosen)).order_by(Passage.id)
        ))


def stored_embedders(store: Store) -> dict[str | None, int]:
    """How many passages each embedder made (None: not recorded)."""
    with store.session() as session:
        rows = session.execute(
            select(Passage.embedder, func.count(Passage.id)).group_by(Passage.embedder)
        ).all()
    return {name: count for name, count in rows}


def _embed_texts(store: Store, ids: Sequence[int], with_context: bool) -> list[Any]:
    """(id, section_id, tokens, embed text, text) of passages, as ingest built the text."""
    with store.session() as session:
        rows = session.execute(
            select(Passage.id, Passage.section_id, Passage.tokens, Passage.text,
                   Section.label, Section.title, Section.keywords)
            .join(Section, Passage.section_id == Section.id)
            .where(Passage.id.in_(list(ids)))
            .order_by(Passage.id)
        ).all()
    out = []
    for row in rows:
        context = passage_context(row.label, row.title, row.keywords) if with_context else ""
        out.append((row.id, row.section_id, row.tokens,
                    f"{context}\n{row.text}" if context else row.text, row.text))
    return out


def _store_batch(
    store: Store, embedder: TextEmbedder, rows: list[Any], vectors: Any, sentences: list[bytes]
) -> list[IndexedPassage]:
    """One transaction: the batch's new vectors; the passages still stored, as indexed."""
    done: list[IndexedPassage] = []
    with store.session() as session:
        for (pid, section_id, tokens, text, _), vector, sentence_blob in zip(
            rows, vectors, sentences, strict=True
        ):
            blob = vector_to_bytes(vector)
            result = session.execute(
                update(Passage).where(Passage.id == pid).values(
                    vector=blob, embedder=embedder.name,
                    embed_hash=content_hash(f"{embedder.name}\n{text}"),
                    sentence_vectors=sentence_blob,
                )
            )
            if result.rowcount:  # type: ignore[attr-defined]  # 0: removed meanwhile
                done.append(IndexedPassage(id=pid, section_id=section_id,
                                           tokens=tokens.split(), vector=blob))
    return done


def re_embed_passages(
    store: Store,
    embedder: TextEmbedder,
    ids: Sequence[int],
    *,
    with_context: bool,
    on_batch: BatchDone | None = None,
    progress: Progress | None = None,
) -> int:
    """Embed the passages `ids` again, one batch per transaction; after each commit
    `on_batch` gets the batch's passages (to update an index). Returns how many."""
    size = max(1, embedder.batch_size) * 4
    done = 0
    for start in range(0, len(ids), size):
        rows = _embed_texts(store, ids[start : start + size], with_context)
        vectors, sentences = embed_with_sentences(
            embedder, [row[3] for row in rows], [row[4] for row in rows]
        )
        stored = _store_batch(store, embedder, rows, vectors, sentences)
        if on_batch is not None:
            on_batch(stored)
        done += len(stored)
        if progress is not None:
            progress(min(start + size, len(ids)), len(ids))
    return done


def embed_missing_sentences(
    store: Store, embedder: TextEmbedder, *, progress: Progress | None = None
) -> int:
    """Embed the sentences of passages stored without sentence vectors, a batch per
    transaction (a killed run continues at the next open); how many passages."""
    with store.session() as session:
        ids = list(session.scalars(
            select(Passage.id).where(Passage.sentence_vectors.is_(None)).order_by(Passage.id)
        ))
    size = max(1, embedder.batch_size) * 4
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        with store.session() as session:
            rows = session.execute(
                select(Passage.id, Passage.text).where(Passage.id.in_(batch))
            ).all()
            blobs = embed_sentence_vectors(embedder, [row.text for row in rows])
            for row, blob in zip(rows, blobs, strict=True):
                session.execute(
                    update(Passage).where(Passage.id == row.id).values(sentence_vectors=blob)
                )
        if progress is not None:
            progress(min(start + size, len(ids)), len(ids))
    return len(ids)


def re_embed_phrases(store: Store, embedder: TextEmbedder, wanted: EmbedderTest) -> int:
    """Embed the curated phrasings whose embedder `wanted` picks again; how many."""
    with store.session() as session:
        rows = [
            row for row in session.execute(
                select(CuratedPhrase.id, CuratedPhrase.text, CuratedPhrase.embedder)
            )
            if wanted(row.embedder)
        ]
        if not rows:
            return 0
        vectors = embedder.embed_queries([row.text for row in rows])
        for row, vector in zip(rows, vectors, strict=True):
            session.execute(
                update(CuratedPhrase).where(CuratedPhrase.id == row.id).values(
                    vector=vector_to_bytes(vector), embedder=embedder.name,
                    embed_hash=content_hash(f"{embedder.name}\n{row.text}"),
                )
            )
    log.info("re-embedded %d curated phrasings with %s", len(rows), embedder.name)
    return len(rows)


def logged_progress(label: str, every: int = 10) -> Progress:
    """A progress callback that logs (done, total) about `every` times in all."""
    step: dict[str, int] = {"next": 0}

    def report(done: int, total: int) -> None:
        if done >= step["next"] or done >= total:
            log.info("%s: %d / %d passages", label, done, total)
            step["next"] = done + max(1, total // every)

    return report


def re_embed_store(settings: Settings, *, progress: Progress | None = None) -> tuple[int, int]:
    """`sunbae reindex --re-embed`: open the configured store and model, and embed again every
    passage and curated phrasing another embedder made; (passages, phrasings) re-embedded."""
    # Imported here: they import this module (the steps that open a core re-embed too).
    from index.tokens import shared_tokenizer
    from knowledge import indexing, startup

    store = startup.open_store(settings)
    try:
        embedder = startup.load_embedder(settings)
        return indexing.re_embed_outdated(store, embedder, shared_tokenizer(), settings,
                                          progress=progress)
    finally:
        store.close()
