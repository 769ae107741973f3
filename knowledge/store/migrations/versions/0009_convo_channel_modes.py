"""Channel modes: per space and channel, auto | mention | off (`/sunbae channel`).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table (a database adopted from `create_all` of today's models has it)."""
    if sa.inspect(op.get_bind()).has_table("channel_modes"):
        return
    op.create_table(
        "channel_modes",
        sa.Column("space", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=200), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("space", "channel"),
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("channel_modes")
