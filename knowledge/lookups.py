"""Read-only lookups the facade answers from the store: days, sources, counts, passages."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select

from index.embedder import vectors_from_bytes
from knowledge.notes.ingest import passage_context
from knowledge.store.database import Store
from knowledge.store.models import Ask, CuratedAnswer, Passage, Section, Source
from knowledge.views import DaySection, StoredPassage


def sections_of_day(store: Store, day: str, spaces: Collection[str]) -> list[DaySection]:
    """Sections of notes in `spaces` whose day label (`Day 8`, or just `8`) or citation label
    matches, by note."""
    wanted = day.strip()
    if wanted.isdigit():
        wanted = f"Day {wanted}"
    with store.session() as session:
        rows = session.execute(
            select(Section, Source.path)
            .join(Source, Section.source_id == Source.id)
            .where((Section.day_label == wanted) | (Section.label == wanted))
            .where(Source.space.in_(list(spaces)))
            .order_by(Source.path, Section.ordinal)
        ).all()
        return [DaySection.of(section, path) for section, path in rows]


def source_author(store: Store, key: str, space: str) -> str | None:
    """Who ingested a source of `space` (None when it is not stored or has no author)."""
    with store.session() as session:
        return session.scalar(
            select(Source.author).where(Source.space == space, Source.path == key))


def source_exists(store: Store, key: str, space: str) -> bool:
    """Whether a source with this key is stored in `space`."""
    with store.session() as session:
        found = session.scalar(select(Source.id).where(Source.space == space, Source.path == key))
        return found is not None


def row_counts(store: Store, space: str, curated_spaces: Collection[str]) -> dict[str, int]:
    """Rows of one space's sources, sections, passages and asks, and the active curated
    answers it sees."""
    with store.session() as session:

        def count(column: Any, *where: Any) -> int:
            return session.scalar(select(func.count(column)).where(*where)) or 0

        mine = Source.space == space
        in_sources = Section.source_id.in_(select(Source.id).where(mine))
        in_sections = Passage.section_id.in_(select(Section.id).where(in_sources))
        return {
            "sources": count(Source.id, mine),
            "sections": count(Section.id, in_sources),
            "passages": count(Passage.id, in_sections),
            "curated_answers": count(CuratedAnswer.id, CuratedAnswer.active,
                                     CuratedAnswer.space.in_(list(curated_spaces))),
            "asks": count(Ask.id, Ask.space == space),
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
