"""Schema migrations: bring a database to the newest Alembic revision, adopting old ones."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

MIGRATIONS = Path(__file__).parent / "migrations"
# The revision a database made by the old `create_all` (no alembic_version table) matches.
CREATE_ALL_REVISION = "0001"
# Any constant works; it only has to be the same for every Sunbae process on one server.
_PG_LOCK_KEY = 0x53554E424145  # "SUNBAE"


def alembic_config(connection: Connection | None = None, *,
                   existing_space: str = "local") -> Config:
    """An Alembic configuration over the packaged migrations (no alembic.ini needed);
    `existing_space` is where rows older than spaces go (migration 0005)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    config.attributes["existing_space"] = existing_space
    return config


def head_revision() -> str:
    """The newest revision the code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "knowledge/migrations/versions holds no migration"
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None: never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """One migrating process per SQLite file: an exclusive lock on a file beside it."""
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    lock_path = Path(database).with_name(Path(database).name + ".migrate-lock")
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(engine: Engine, *, existing_space: str = "local") -> None:
    """Migrate to head under a lock, so processes opening one fresh database at once agree.

    A database created before migrations existed (Sunbae's tables, no `alembic_version`) is
    stamped at the revision `create_all` produced, keeping its rows, then upgraded.
    """
    if engine.dialect.name == "sqlite":
        with _sqlite_file_lock(engine), engine.begin() as connection:
            _upgrade_on(connection, existing_space)
        return
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Held until this transaction ends; PostgreSQL DDL is transactional, so a
            # second process waits here and then finds the schema already at head.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        _upgrade_on(connection, existing_space)


def _upgrade_on(connection: Connection, existing_space: str) -> None:
    config = alembic_config(connection, existing_space=existing_space)
    if current_revision(connection) is None and inspect(connection).has_table("sources"):
        command.stamp(config, CREATE_ALL_REVISION)
    command.upgrade(config, "head")


def new_revision(message: str) -> Path:
    """Write the next migration script (`0002_<slug>.py`, ...) to fill in by hand; its path."""
    rev_id = f"{int(head_revision()) + 1:04d}"
    script = command.revision(alembic_config(), message=message, rev_id=rev_id)
    assert script is not None and not isinstance(script, list)
    return Path(script.path)


if __name__ == "__main__":
    # python -m knowledge.store.schema "add store revision counter"
    import sys

    if len(sys.argv) != 2:
        raise SystemExit('usage: python -m knowledge.store.schema "what the migration does"')
    print(new_revision(sys.argv[1]))
