"""The store on a fresh SQLite file: migrations, sessions, and the revision counter."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, inspect, select

from index.tokens import Tokenizer
from knowledge.answering.answer import Answer
from knowledge.curation.answers import Curation
from knowledge.notes.ingest import Ingestor
from knowledge.store.asklog import AskLog
from knowledge.store.database import Store, bump_revision, current_revision
from knowledge.store.models import Base, Source, StoreRevision
from knowledge.store.schema import current_revision as schema_revision
from knowledge.store.schema import head_revision
from tests.fakes import FakeEmbedder
from tests.knowledge.conftest import DAY_1, DAY_2, journal, note


def revision(store: Store) -> int:
    """The store's change counter."""
    with store.session() as session:
        return current_revision(session)


def test_a_fresh_file_is_migrated_to_head(sqlite_url: str) -> None:
    """Opening a file that does not exist creates it at the newest revision."""
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    assert not path.exists()
    store = Store(sqlite_url)
    try:
        assert path.exists()
        with store.engine.connect() as connection:
            assert schema_revision(connection) == head_revision()
    finally:
        store.close()


def test_a_migrated_file_has_every_table_of_the_models(store: Store) -> None:
    """Each model's table exists after the migrations (and Alembic's own)."""
    tables = set(inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) | {"alembic_version"} == tables


def test_reopening_a_migrated_file_keeps_its_rows(sqlite_url: str) -> None:
    """A second open finds the schema at head and the rows where they were."""
    first = Store(sqlite_url)
    with first.session() as session:
        session.add(Source(path="kept.md", content_hash="h"))
    first.close()
    second = Store(sqlite_url)
    try:
        with second.session() as session:
            assert session.scalars(select(Source.path)).all() == ["kept.md"]
        with second.engine.connect() as connection:
            assert schema_revision(connection) == head_revision()
    finally:
        second.close()


def test_a_session_commits_whole_or_not_at_all(store: Store) -> None:
    """An error inside a session rolls back everything it wrote."""
    with pytest.raises(RuntimeError), store.session() as session:
        session.add(Source(path="lost.md", content_hash="h"))
        session.flush()
        raise RuntimeError("interrupted")
    with store.session() as session:
        assert session.scalars(select(Source.path)).all() == []


def test_a_fresh_store_is_at_revision_zero(store: Store) -> None:
    """No change has been made yet."""
    assert revision(store) == 0


def test_bumping_counts_one_change_per_transaction(store: Store) -> None:
    """Each bump adds one; a rolled-back bump does not count."""
    with store.session() as session:
        bump_revision(session)
    with pytest.raises(RuntimeError), store.session() as session:
        bump_revision(session)
        raise RuntimeError("rolled back")
    assert revision(store) == 1


def test_a_lost_counter_row_is_recreated(store: Store) -> None:
    """If the counter row is missing, the next bump starts it again at 1."""
    with store.session() as session:
        session.execute(delete(StoreRevision))
    assert revision(store) == 0
    with store.session() as session:
        bump_revision(session)
    assert revision(store) == 1


def test_note_writes_bump_the_revision_and_unchanged_ones_do_not(
    ingestor: Ingestor, store: Store
) -> None:
    """An ingest and a removal count; re-ingesting an unchanged file writes nothing."""
    ingestor.ingest([note("week1.md", journal(DAY_1, DAY_2))])
    assert revision(store) == 1
    ingestor.ingest([note("week1.md", journal(DAY_1, DAY_2))])
    assert revision(store) == 1
    ingestor.ingest([], remove=["week1.md"])
    assert revision(store) == 2


def test_curated_writes_bump_the_revision(store: Store, fake_embedder: FakeEmbedder,
                                          tokenizer: Tokenizer) -> None:
    """Adding, editing and retiring a curated answer each count one change."""
    curation = Curation(store, fake_embedder, tokenizer)  # type: ignore[arg-type]
    curation.add(question="과제 제출", answer="LMS 에 내요.", author="mentor", slug="homework")
    curation.edit("homework", author="mentor", answer="LMS 과제 탭에 내요.")
    curation.retire("homework", author="mentor")
    assert revision(store) == 3


def test_asks_and_votes_do_not_bump_the_revision(store: Store) -> None:
    """The ask log is not knowledge: other processes need not follow it."""
    asks = AskLog(store)
    ask_id = asks.record(Answer(question="q?", text="a", kind="passage", confidence=1.0,
                                language="ko"), user=None, channel=None)
    asks.vote(ask_id, "alice", 1)
    asks.resolve([ask_id])
    assert revision(store) == 0
