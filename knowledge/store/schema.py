"""Schema migrations: bring a database to the newest Alembic revision, adopting old ones."""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from knowledge.errors import SunbaeError

MIGRATIONS = Path(__file__).parent / "migrations"
# The revision a database made by the old `create_all` (no alembic_version table) matches.
CREATE_ALL_REVISION = "0001"
# Any constant works; it only has to be the same for every Sunbae process on one server.
_PG_LOCK_KEY = 0x53554E424145  # "SUNBAE"

log = logging.getLogger(__name__)


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
def _sqlite_file_lock(engine: Engine) -> Iterator[bool]:
    """One migrating process per SQLite file: an exclusive lock on a file beside it.

    Yields whether the lock is held: in a read-only data folder it cannot be made, and the
    caller may then only read a database that needs no migration.
    """
    database = engine.url.database
    if not database or database == ":memory:":
        yield True
        return
    lock_path = Path(database).with_name(Path(database).name + ".migrate-lock")
    try:
        handle = lock_path.open("a")
    except OSError as exc:
        log.warning("cannot create the migration lock %s (%s): read-only data folder?",
                    lock_path, exc.strerror or exc)
        yield False
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(engine: Engine, *, existing_space: str = "local") -> None:
    """Migrate to head under a lock, so processes opening one fresh database at once agree.

    A database created before migrations existed (Sunbae's tables, no `alembic_version`) is
    stamped at the revision `create_all` produced, keeping its rows, then upgraded. Without
    the lock (a read-only folder), a database already at head is used as it is.
    """
    if engine.dialect.name == "sqlite":
        with _sqlite_file_lock(engine) as locked:
            if not locked:
                with engine.connect() as connection:
                    _check_at_head(engine, connection)
                return
            with engine.begin() as connection:
                _upgrade_on(connection, existing_space)
        return
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Held until this transaction ends; PostgreSQL DDL is transactional, so a
            # second process waits here and then finds the schema already at head.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        _upgrade_on(connection, existing_space)


def _check_at_head(engine: Engine, connection: Connection) -> None:
    """Nothing to migrate, or a clear refusal: the folder must be writable to migrate."""
    at = current_revision(connection)
    if at != head_revision():
        folder = Path(engine.url.database or ".").parent
        raise SunbaeError(
            f"the data folder {folder} is read-only and its database is at schema "
            f"{at or 'none'}, not {head_revision()}; run Sunbae once with write access "
            "to migrate it (questions work read-only afterwards)"
        )


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
