"""The embedder (`<family>/<variant>`) that made each stored vector, on passages and phrases.

Rows stored before this revision keep NULL: they were made by torch, and count as the bundled
default model's family when SUNBAE_MODEL is the default (see knowledge/reembedding.py).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("passages", "curated_phrases")


def _has_column(table: str) -> bool:
    columns = sa.inspect(op.get_bind()).get_columns(table)
    return any(column["name"] == "embedder" for column in columns)


def upgrade() -> None:
    """Add the nullable column (a database adopted from `create_all` of today's models may
    already have it)."""
    for table in TABLES:
        if not _has_column(table):
            op.add_column(table, sa.Column("embedder", sa.String(200), nullable=True))


def downgrade() -> None:
    """Drop the column."""
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("embedder")
