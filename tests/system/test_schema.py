"""Migrations: head matches the models, old create_all databases are adopted, opens race safely."""

from __future__ import annotations

import multiprocessing

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from knowledge.settings import Settings
from knowledge.store.database import Store, make_engine
from knowledge.store.models import Base, Source
from knowledge.store.schema import current_revision, head_revision


def _schema_differences(store: Store) -> list:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_upgrade_head_matches_the_models(settings: Settings) -> None:
    store = Store(settings.resolved_database_url)
    try:
        assert _schema_differences(store) == []
        with store.engine.connect() as connection:
            assert current_revision(connection) == head_revision()
    finally:
        store.close()


def test_a_create_all_database_is_adopted_with_its_rows(settings: Settings) -> None:
    url = settings.resolved_database_url
    engine = make_engine(url)
    # What `create_all` made before migrations existed: every table of revision 0001.
    Base.metadata.create_all(engine, tables=[
        t for t in Base.metadata.sorted_tables if t.name != "store_revision"
    ])
    with engine.begin() as connection:
        connection.execute(
            Source.__table__.insert().values(path="old.md", content_hash="h")
        )
    engine.dispose()

    store = Store(url)
    try:
        with store.session() as session:
            assert session.scalars(select(Source.path)).all() == ["old.md"]
        with store.engine.connect() as connection:
            assert current_revision(connection) == head_revision()
        assert _schema_differences(store) == []
    finally:
        store.close()


def _open_store(url: str) -> str:
    store = Store(url)
    try:
        with store.engine.connect() as connection:
            return current_revision(connection) or ""
    finally:
        store.close()


def test_two_processes_opening_one_fresh_database_both_succeed(settings: Settings) -> None:
    url = settings.resolved_database_url
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        revisions = pool.map(_open_store, [url, url])
    assert revisions == [head_revision(), head_revision()]
    engine = make_engine(url)
    with engine.connect() as connection:
        assert inspect(connection).has_table("passages")
        count = connection.execute(text("SELECT count(*) FROM alembic_version")).scalar_one()
    engine.dispose()
    assert count == 1
