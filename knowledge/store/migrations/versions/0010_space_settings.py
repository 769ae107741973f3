"""Space settings: whether each space sees the shared space (`/curate shared on|off`).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table (a database adopted from `create_all` of today's models has it)."""
    if sa.inspect(op.get_bind()).has_table("space_settings"):
        return
    op.create_table(
        "space_settings",
        sa.Column("space", sa.String(length=200), nullable=False),
        sa.Column("see_shared", sa.Boolean(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("space"),
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("space_settings")
