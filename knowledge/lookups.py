"""Read-only lookups the facade answers from the store: days, sources, counts, passages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from index.embedder import vectors_from_bytes
from knowledge.notes.ingest import passage_context
from knowledge.store.database import Store
from knowledge.store.models import Ask, CuratedAnswer, Passage, Section, Source
from knowledge.views import DaySection, StoredPassage


def sections_of_day(store: Store, day: str) -> list[DaySection]:
    """Sections whose day label (`Day 8`, or just `8`) or citation label matches, by note."""
    wanted = day.strip()
    if wanted.isdigit():
        wanted = f"Day {wanted}"
    with store.session() as session:
        rows = session.execute(
            select(Section, Source.path)
            .join(Source, Section.source_id == Source.id)
            .where((Section.day_label == wanted) | (Section.label == wanted))
            .order_by(Source.path, Section.ordinal)
        ).all()
        return [DaySection.of(section, path) for section, path in rows]


def source_author(store: Store, key: str) -> str | None:
    """Who ingested a source (None when it is not stored or has no author)."""
    with store.session() as session:
        return session.scalar(select(Source.author).where(Source.path == key))


def source_exists(store: Store, key: str) -> bool:
    """Whether a source with this key is stored."""
    with store.session() as session:
        return session.scalar(select(Source.id).where(Source.path == key)) is not None


def row_counts(store: Store) -> dict[str, int]:
    """Rows of sources, sections, passages, active curated answers and asks."""
    with store.session() as session:

        def count(column: Any, *where: Any) -> int:
            return session.scalar(select(func.count(column)).where(*where)) or 0

        return {
            "sources": count(Source.id),
            "sections": count(Section.id),
            "passages": count(Passage.id),
            "curated_answers": count(CuratedAnswer.id, CuratedAnswer.active),
            "asks": count(Ask.id),
        }


def stored_passages(store: Store, dim: int, *, with_context: bool) -> list[StoredPassage]:
    """Every stored passage with the text its vector was embedded from, by id."""
    with store.session() as session:
        rows = session.execute(
            select(Passage.id, Passage.section_id, Passage.text, Passage.tokens,
                   Passage.sentence_tokens, Passage.vector,
                   Section.label, Section.title, Section.keywords)
            .join(Section, Passage.section_id == Section.id)
            .order_by(Passage.id)
        ).all()
    passages = []
    for row in rows:
        # The same context line ingest put before the text it embedded.
        context = passage_context(row.label, row.title, row.keywords) if with_context else ""
        passages.append(StoredPassage(
            id=row.id,
            section_id=row.section_id,
            text=row.text,
            embedded_text=f"{context}\n{row.text}" if context else row.text,
            tokens=tuple(row.tokens.split()),
            sentence_tokens=tuple(tuple(line.split())
                                  for line in row.sentence_tokens.splitlines() if line),
            vector=vectors_from_bytes([row.vector], dim)[0],
        ))
    return passages
