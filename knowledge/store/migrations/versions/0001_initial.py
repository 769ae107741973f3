"""The initial schema: sources, sections, passages, curated answers, asks and feedback.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create every table as `knowledge/models.py` declared it at this revision."""
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("path", sa.String(1024), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("author", sa.String(200), nullable=True),
        sa.Column("url", sa.String(2048), nullable=True),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("updated_at", _TZ, nullable=False),
        sa.UniqueConstraint("path"),
    )
    op.create_table(
        "sections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "source_id",
            sa.Integer(),
            sa.ForeignKey("sources.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(1024), nullable=False),
        sa.Column("title", sa.String(1024), nullable=False),
        sa.Column("week", sa.Integer(), nullable=True),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("day_label", sa.String(64), nullable=True),
        sa.Column("date", sa.String(64), nullable=True),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("url", sa.String(2048), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_sections_source_id", "sections", ["source_id"])
    op.create_index("ix_sections_day_label", "sections", ["day_label"])
    op.create_table(
        "passages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "section_id",
            sa.Integer(),
            sa.ForeignKey("sections.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("embed_hash", sa.String(64), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.Column("sentence_tokens", sa.Text(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        # Passage ids key the FAISS index and must never be reused (PostgreSQL sequences
        # never reuse; SQLite needs AUTOINCREMENT for that).
        sqlite_autoincrement=True,
    )
    op.create_index("ix_passages_section_id", "passages", ["section_id"])
    op.create_index("ix_passages_embed_hash", "passages", ["embed_hash"])
    op.create_table(
        "curated_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(200), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("paraphrases", sa.JSON(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("cites", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("updated_at", _TZ, nullable=False),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "curated_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "curated_id",
            sa.Integer(),
            sa.ForeignKey("curated_answers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("paraphrases", sa.JSON(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("cites", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("saved_at", _TZ, nullable=False),
    )
    op.create_index("ix_curated_versions_curated_id", "curated_versions", ["curated_id"])
    op.create_table(
        "curated_phrases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "curated_id",
            sa.Integer(),
            sa.ForeignKey("curated_answers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.Column("embed_hash", sa.String(64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_curated_phrases_curated_id", "curated_phrases", ["curated_id"])
    op.create_table(
        "asks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("user", sa.String(200), nullable=True),
        sa.Column("channel", sa.String(200), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("cited_passages", sa.JSON(), nullable=False),
        sa.Column(
            "curated_id",
            sa.Integer(),
            sa.ForeignKey("curated_answers.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
    )
    op.create_index("ix_asks_outcome", "asks", ["outcome"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "ask_id",
            sa.Integer(),
            sa.ForeignKey("asks.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("vote", sa.Integer(), nullable=False),
        sa.Column("updated_at", _TZ, nullable=False),
        sa.UniqueConstraint("ask_id", "user"),
    )
    op.create_index("ix_feedback_ask_id", "feedback", ["ask_id"])


def downgrade() -> None:
    """Drop every table (children first)."""
    for table in (
        "feedback",
        "asks",
        "curated_phrases",
        "curated_versions",
        "curated_answers",
        "passages",
        "sections",
        "sources",
    ):
        op.drop_table(table)
