"""Chat uploads counted in the database, so every process agrees on cooldowns and quotas.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the usage table (a database adopted from `create_all` may already have it)."""
    if "ingest_usage" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "ingest_usage",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("space", sa.String(200), nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_ingest_usage_space", "ingest_usage", ["space"])
    op.create_index("ix_ingest_usage_at", "ingest_usage", ["at"])


def downgrade() -> None:
    """Drop the usage table."""
    op.drop_table("ingest_usage")
