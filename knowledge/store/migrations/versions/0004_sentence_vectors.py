"""One vector per sentence of each passage, stored with it (NULL: not embedded yet).

Rows stored before this revision get theirs at the next open (knowledge/indexing.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _has_column() -> bool:
    columns = sa.inspect(op.get_bind()).get_columns("passages")
    return any(column["name"] == "sentence_vectors" for column in columns)


def upgrade() -> None:
    """Add the nullable column (a database adopted from `create_all` of today's models may
    already have it)."""
    if not _has_column():
        op.add_column("passages", sa.Column("sentence_vectors", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("passages") as batch:
        batch.drop_column("sentence_vectors")
