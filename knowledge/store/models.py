"""SQLAlchemy tables: sources, sections, passages, curated answers, asks, feedback, revision,
maintainers' channels, chat upload usage."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """Timezone-aware now, for default timestamps."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of every Sunbae table."""


class Source(Base):
    """One ingested file (or pasted note), identified by its display path."""

    __tablename__ = "sources"
    # A key names a note within its space: two spaces may each hold a `week2.md`.
    __table_args__ = (UniqueConstraint("space", "path", name="uq_sources_space_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space: Mapped[str] = mapped_column(String(200), default="local", index=True)
    path: Mapped[str] = mapped_column(String(1024))
    content_hash: Mapped[str] = mapped_column(String(64))
    author: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2048))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    sections: Mapped[list[Section]] = relationship(
        back_populates="source", cascade="all, delete-orphan", order_by="Section.ordinal"
    )


class Section(Base):
    """A day or heading section of a source: the unit a citation names."""

    __tablename__ = "sections"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(1024))
    title: Mapped[str] = mapped_column(String(1024), default="")
    week: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[int | None] = mapped_column(Integer)
    day_label: Mapped[str | None] = mapped_column(String(64), index=True)
    date: Mapped[str | None] = mapped_column(String(64))
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    url: Mapped[str | None] = mapped_column(String(2048))
    text: Mapped[str] = mapped_column(Text)

    source: Mapped[Source] = relationship(back_populates="sections")
    passages: Mapped[list[Passage]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="Passage.ordinal"
    )


class Passage(Base):
    """A chunk of a section: the unit of retrieval, with its stored vector."""

    __tablename__ = "passages"
    # Passage ids key the FAISS index: they must never be reused after a delete, or a stale
    # index file could pass for a current one.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    # Hash of exactly what was embedded (context + text + model), so unchanged passages
    # of a changed file reuse their vector instead of being embedded again.
    embed_hash: Mapped[str] = mapped_column(String(64), index=True)
    tokens: Mapped[str] = mapped_column(Text, default="")
    # One line of tokens per distinct sentence of `text` (in `split_sentences` order), so an
    # answer can score sentences without running the tokenizer at question time.
    sentence_tokens: Mapped[str] = mapped_column(Text, default="")
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    # The embedder that made `vector` (`<family>/<variant>`); NULL: stored before it was kept.
    embedder: Mapped[str | None] = mapped_column(String(200))
    # One float32 vector per distinct sentence (the order of `sentence_tokens`), concatenated;
    # made by the same embedder as `vector`. NULL: not embedded yet (filled at the next open).
    sentence_vectors: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    section: Mapped[Section] = relationship(back_populates="passages")


class CuratedAnswer(Base):
    """A maintainer's answer with the question phrasings it answers and the days it cites."""

    __tablename__ = "curated_answers"
    __table_args__ = (UniqueConstraint("space", "slug", name="uq_curated_answers_space_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space: Mapped[str] = mapped_column(String(200), default="local", index=True)
    slug: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    paraphrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)
    cites: Mapped[list[str]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Questions it must not take (near topics it does not answer); NULL: none.
    negatives: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    author: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    versions: Mapped[list[CuratedVersion]] = relationship(
        back_populates="curated", cascade="all, delete-orphan", order_by="CuratedVersion.version"
    )
    phrases: Mapped[list[CuratedPhrase]] = relationship(
        back_populates="curated", cascade="all, delete-orphan"
    )


class CuratedVersion(Base):
    """One saved state of a curated answer (its history)."""

    __tablename__ = "curated_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    curated_id: Mapped[int] = mapped_column(
        ForeignKey("curated_answers.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(Text)
    paraphrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)
    cites: Mapped[list[str]] = mapped_column(JSON, default=list)
    negatives: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    author: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    curated: Mapped[CuratedAnswer] = relationship(back_populates="versions")


class CuratedPhrase(Base):
    """A question phrasing of a curated answer with its stored query vector."""

    __tablename__ = "curated_phrases"

    id: Mapped[int] = mapped_column(primary_key=True)
    curated_id: Mapped[int] = mapped_column(
        ForeignKey("curated_answers.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    tokens: Mapped[str] = mapped_column(Text, default="")
    embed_hash: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    # The embedder that made `vector` (`<family>/<variant>`); NULL: stored before it was kept.
    embedder: Mapped[str | None] = mapped_column(String(200))
    # A negative phrasing: a question nearer it than to the answer's own phrasings is not
    # the answer's.
    negative: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    curated: Mapped[CuratedAnswer] = relationship(back_populates="phrases")


class Ask(Base):
    """One question asked, how it was answered, and how long it took."""

    __tablename__ = "asks"

    id: Mapped[int] = mapped_column(primary_key=True)
    space: Mapped[str] = mapped_column(String(200), default="local", index=True)
    question: Mapped[str] = mapped_column(Text)
    user: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="ko")
    outcome: Mapped[str] = mapped_column(String(16), index=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    scores: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    cited_passages: Mapped[list[int]] = mapped_column(JSON, default=list)
    curated_id: Mapped[int | None] = mapped_column(
        ForeignKey("curated_answers.id", ondelete="SET NULL")
    )
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    feedback: Mapped[list[Feedback]] = relationship(
        back_populates="ask", cascade="all, delete-orphan"
    )


class Feedback(Base):
    """One person's vote on one answer (changeable, one per person)."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("ask_id", "user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ask_id: Mapped[int] = mapped_column(ForeignKey("asks.id", ondelete="CASCADE"), index=True)
    user: Mapped[str] = mapped_column(String(200))
    vote: Mapped[int] = mapped_column(Integer)
    # Why a 👎 (wrong_day, outdated, did_not_answer, other); NULL: not given.
    reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    reason_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    ask: Mapped[Ask] = relationship(back_populates="feedback")


class MaintainerChannel(Base):
    """The chat channel of a space where abstentions and 👎 are posted for the maintainers."""

    __tablename__ = "maintainer_channels"

    space: Mapped[str] = mapped_column(String(200), primary_key=True)
    channel: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=utcnow)


class SpaceSetting(Base):
    """A space's own choices; a missing row or NULL: the deployment's default."""

    __tablename__ = "space_settings"

    space: Mapped[str] = mapped_column(String(200), primary_key=True)
    # Whether the space sees the shared space (the shipped curated answers, the sample).
    see_shared: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=utcnow)


class StoreRevision(Base):
    """One row counting the changes to notes and curated answers, so other processes follow."""

    __tablename__ = "store_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)


class IngestUsage(Base):
    """One accepted chat upload: who, in which space, how many bytes, when (cooldown, quota)."""

    __tablename__ = "ingest_usage"

    id: Mapped[int] = mapped_column(primary_key=True)
    space: Mapped[str] = mapped_column(String(200), index=True)
    user: Mapped[str] = mapped_column(String(200))
    bytes: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
