"""Negative phrasings of curated answers: questions a curated answer must not take.

`curated_answers.negatives` (and each saved version's) holds them as written; their vectors
are curated phrase rows with `negative` true, so re-embedding treats them like the others.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None



def _columns() -> list[tuple[str, sa.Column]]:
    return [
        ("curated_answers", sa.Column("negatives", sa.JSON(), nullable=True)),
        ("curated_versions", sa.Column("negatives", sa.JSON(), nullable=True)),
        ("curated_phrases", sa.Column("negative", sa.Boolean(), nullable=False,
                                      server_default=sa.false())),
    ]


def _has_column(table: str, name: str) -> bool:
    columns = sa.inspect(op.get_bind()).get_columns(table)
    return any(column["name"] == name for column in columns)


def upgrade() -> None:
    """Add the columns (a database adopted from `create_all` of today's models may already
    have them); existing answers have no negatives and every existing phrase is positive."""
    for table, column in _columns():
        if not _has_column(table, column.name):
            op.add_column(table, column)


def downgrade() -> None:
    """Drop the negative phrase rows, then the columns."""
    op.execute(sa.text("DELETE FROM curated_phrases WHERE negative"))
    for table, column in _columns():
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column.name)
