"""Database engine and sessions: one place that knows how to open the store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select, update
from sqlalchemy.orm import Session, sessionmaker

from knowledge.models import Base, StoreRevision


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, WAL and a parent folder."""
    if url.startswith("sqlite:///"):
        db_path = Path(url.removeprefix("sqlite:///"))
        if str(db_path) != ":memory:":
            db_path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            # Cascading deletes need foreign keys on; WAL lets readers work during an ingest.
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    """The database: creates the schema and hands out transactional sessions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work commits together at the end, or not at all."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()


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
