"""Alembic environment: runs migrations on the connection `knowledge.store.schema` hands over."""

from __future__ import annotations

from alembic import context

from knowledge.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    """Migrate on the caller's connection (always given: migrations run from `Store`)."""
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Sunbae migrations run through knowledge.store.schema.upgrade(engine)")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
