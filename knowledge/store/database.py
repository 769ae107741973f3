"""Database engine and sessions: one place that knows how to open the store."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select, text, update
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from knowledge.errors import StoreUnavailable
from knowledge.store.models import StoreRevision

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION_LINE = re.compile(r'^(down_revision|revision)\s*=\s*(?:"([^"]*)"|None)', re.MULTILINE)


def is_unreachable(engine: Engine, exc: DBAPIError) -> bool:
    """Whether a database error means "cannot reach the server", not a bug or bad data."""
    if exc.connection_invalidated:
        return True
    # On a server database, operational/interface errors are the connection's (refused,
    # terminated, shutting down); on SQLite they also cover "no such table" and the like.
    return engine.dialect.name != "sqlite" and isinstance(exc, OperationalError | InterfaceError)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, WAL and a parent folder."""
    if url.startswith("sqlite:///"):
        db_path = Path(url.removeprefix("sqlite:///"))
        if str(db_path) != ":memory:":
            db_path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:
            # Cascading deletes need foreign keys on; WAL lets readers work during an ingest.
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    # Pre-ping tests a pooled connection before use, so after a server restart the first
    # question reconnects instead of failing on a connection the restart killed.
    return create_engine(url, pool_pre_ping=True)


class Store:
    """The database: migrates the schema to head on open and hands out sessions."""

    def __init__(self, url: str, *, existing_space: str = "local") -> None:
        self.url = url
        self.engine = make_engine(url)
        with self._translating_outages():
            if not at_head(self.engine):
                # Alembic (0.3 s or more to import) only when there is something to migrate.
                from knowledge.store.schema import upgrade

                upgrade(self.engine, existing_space=existing_space)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work commits together at the end, or not at all."""
        with self._translating_outages(), self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def _translating_outages(self) -> Iterator[None]:
        """Turn "the server is not there" into `StoreUnavailable`; other errors pass."""
        try:
            yield
        except DBAPIError as exc:
            if is_unreachable(self.engine, exc):
                raise StoreUnavailable(str(exc.orig).strip()) from exc
            raise

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()


@lru_cache(maxsize=1)
def script_head() -> str | None:
    """The head revision of the migration scripts, read from their text without Alembic
    (None when the chain is not one line: then Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in VERSIONS.glob("*.py"):
        fields = dict((m[0], m[1]) for m in _REVISION_LINE.findall(script.read_text("utf-8")))
        if "revision" in fields:
            revisions.add(fields["revision"])
            parents.add(fields.get("down_revision", ""))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def at_head(engine: Engine) -> bool:
    """Whether the database is already at the newest schema (a plain read, no Alembic)."""
    head = script_head()
    if head is None:
        return False
    try:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError as exc:  # no version table yet (a new database), or unreachable
        if is_unreachable(engine, exc):
            raise
        return False
    return [row[0] for row in versions] == [head]


def bump_revision(session: Session) -> None:
    """Count one more change, inside the writer's own transaction.

    The row lock this takes on PostgreSQL also orders concurrent writers, so a process that
    sees revision N sees every change up to N.
    """
    bumped = session.execute(
        update(StoreRevision).where(StoreRevision.id == 1)
        .values(number=StoreRevision.number + 1)
    )
    if bumped.rowcount == 0:  # type: ignore[attr-defined]
        session.add(StoreRevision(id=1, number=1))
        session.flush()


def current_revision(session: Session) -> int:
    """The number of changes made to notes and curated answers so far."""
    return session.scalar(select(StoreRevision.number).where(StoreRevision.id == 1)) or 0
