"""Why a 👎: a reason (and a short text) kept with the vote; a maintainers' channel per space.

`feedback.reason` is one of wrong_day, outdated, did_not_answer, other (NULL: not given);
`feedback.reason_text` is what the person wrote for "other". `maintainer_channels` holds, per
space, the chat channel where abstentions and 👎 are posted as cards.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _columns() -> list[sa.Column]:
    return [sa.Column("reason", sa.String(32), nullable=True),
            sa.Column("reason_text", sa.Text(), nullable=True)]


def _inspector() -> sa.Inspector:
    return sa.inspect(op.get_bind())


def upgrade() -> None:
    """Add the columns and the table (a database adopted from `create_all` of today's models
    may already have them); existing votes have no reason."""
    have = {column["name"] for column in _inspector().get_columns("feedback")}
    for column in _columns():
        if column.name not in have:
            op.add_column("feedback", column)
    if not _inspector().has_table("maintainer_channels"):
        op.create_table(
            "maintainer_channels",
            sa.Column("space", sa.String(200), primary_key=True),
            sa.Column("channel", sa.String(200), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        )


def downgrade() -> None:
    """Drop the table and the columns."""
    op.drop_table("maintainer_channels")
    with op.batch_alter_table("feedback") as batch:
        for column in _columns():
            batch.drop_column(column.name)
