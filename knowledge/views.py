"""What the facade hands back: plain, frozen records that transports only format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

# Plain results defined next to their owners, named here too so a transport finds the whole
# vocabulary of `Sunbae` in one module.
from knowledge.answering.answer import Answer, Citation
from knowledge.curation.answers import CuratedView
from knowledge.notes.ingest import IngestReport, NoteFile
from knowledge.store.asklog import UnansweredGroup
from knowledge.store.ingest_quota import IngestAllowance

if TYPE_CHECKING:
    from knowledge.store.models import Ask, CuratedVersion, Section

__all__ = [
    "Answer",
    "AskRecord",
    "Citation",
    "CuratedVersionView",
    "CuratedView",
    "DaySection",
    "IngestAllowance",
    "IngestReport",
    "KnowledgeStats",
    "NoteFile",
    "StoredPassage",
    "UnansweredGroup",
]


@dataclass(frozen=True)
class AskRecord:
    """One logged question and how it was answered."""

    id: int
    question: str
    outcome: str  # curated, passage or abstain
    answer: str
    language: str
    confidence: float
    user: str | None
    channel: str | None
    resolved: bool
    created_at: datetime | None

    @classmethod
    def of(cls, row: Ask) -> AskRecord:
        """The record of an ask row."""
        return cls(id=row.id, question=row.question, outcome=row.outcome, answer=row.answer,
                   language=row.language, confidence=row.confidence, user=row.user,
                   channel=row.channel, resolved=row.resolved, created_at=row.created_at)


@dataclass(frozen=True)
class CuratedVersionView:
    """One saved version of a curated answer (its history)."""

    version: int
    question: str
    paraphrases: tuple[str, ...]
    answer: str
    cites: tuple[str, ...]
    author: str
    active: bool
    note: str
    saved_at: datetime

    @classmethod
    def of(cls, row: CuratedVersion) -> CuratedVersionView:
        """The view of a stored version."""
        return cls(version=row.version, question=row.question,
                   paraphrases=tuple(row.paraphrases), answer=row.answer,
                   cites=tuple(row.cites), author=row.author, active=row.active,
                   note=row.note, saved_at=row.saved_at)


@dataclass(frozen=True)
class DaySection:
    """A day (or heading section) of one note, in full, as `/source` shows it."""

    label: str
    day_label: str | None
    title: str
    text: str
    source_path: str
    week: int | None
    date: str | None
    url: str | None

    @classmethod
    def of(cls, row: Section, source_path: str) -> DaySection:
        """The view of a stored section and the path of its note."""
        return cls(label=row.label, day_label=row.day_label, title=row.title, text=row.text,
                   source_path=source_path, week=row.week, date=row.date, url=row.url)


@dataclass(frozen=True)
class StoredPassage:
    """A stored passage with what was embedded and indexed for it (for measuring tools)."""

    id: int
    section_id: int
    text: str
    embedded_text: str  # the text with its context line, exactly what the model saw
    tokens: tuple[str, ...]
    sentence_tokens: tuple[tuple[str, ...], ...]
    vector: np.ndarray


@dataclass(frozen=True)
class KnowledgeStats:
    """How much Sunbae holds: rows in the store and passages in the search index."""

    sources: int
    sections: int
    passages: int
    indexed_passages: int
    curated_answers: int
    asks: int
