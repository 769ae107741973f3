"""Spaces: every source, curated answer and ask belongs to one (`local`, `discord:<guild id>`).

Rows stored before this revision move into the configured space (`SUNBAE_EXISTING_SPACE`,
default `local`), except the sample journal (author `sample`), which moves to the shared space;
sections, passages, versions, phrasings and votes follow their parent row.
A note's key and a curated answer's slug become unique within their space.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# table: the column that used to be unique on its own, and the new (space, column) constraint
UNIQUE_WITHIN_SPACE = {
    "sources": ("path", "uq_sources_space_path"),
    "curated_answers": ("slug", "uq_curated_answers_space_slug"),
}
TABLES = ("sources", "curated_answers", "asks")
# SQLite's unnamed constraints get these names in batch mode, so they can be dropped.
_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def existing_space() -> str:
    """Where rows stored before spaces existed go (the store passes its setting along)."""
    config = op.get_context().config
    given = config.attributes.get("existing_space") if config is not None else None
    return str(given or os.environ.get("SUNBAE_EXISTING_SPACE") or "local")


def _columns(table: str) -> set[str]:
    return {column["name"] for column in sa.inspect(op.get_bind()).get_columns(table)}


def _old_unique_name(table: str, column: str) -> str | None:
    for constraint in sa.inspect(op.get_bind()).get_unique_constraints(table):
        if constraint["column_names"] == [column]:
            return constraint["name"] or f"uq_{table}_{column}"
    return None


def upgrade() -> None:
    """Add `space` (filled with the configured space), its index, and the per-space keys
    (a database adopted from `create_all` of today's models already has them)."""
    space = existing_space()
    for table in TABLES:
        if "space" in _columns(table):
            continue
        op.add_column(table, sa.Column("space", sa.String(200), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET space = :space").bindparams(space=space))
        if table == "sources":  # the shipped sample journal is shared by every space now
            op.execute(sa.text("UPDATE sources SET space = 'shared' WHERE author = 'sample'"))
        with op.batch_alter_table(table, naming_convention=_NAMING) as batch:
            batch.alter_column("space", existing_type=sa.String(200), nullable=False)
            batch.create_index(f"ix_{table}_space", ["space"])
            if table in UNIQUE_WITHIN_SPACE:
                column, name = UNIQUE_WITHIN_SPACE[table]
                old = _old_unique_name(table, column)
                if old is not None:
                    batch.drop_constraint(old, type_="unique")
                batch.create_unique_constraint(name, ["space", column])


def downgrade() -> None:
    """Drop the spaces (keys must then be unique across all of them again)."""
    for table in TABLES:
        with op.batch_alter_table(table, naming_convention=_NAMING) as batch:
            if table in UNIQUE_WITHIN_SPACE:
                column, name = UNIQUE_WITHIN_SPACE[table]
                batch.drop_constraint(name, type_="unique")
                batch.create_unique_constraint(f"uq_{table}_{column}", [column])
            batch.drop_index(f"ix_{table}_space")
            batch.drop_column("space")
