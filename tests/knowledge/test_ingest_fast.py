"""Ingest mechanics on the fake embedder: whole or nothing, one copy, removal, the index in step."""

from __future__ import annotations

import os
import signal

import pytest
from sqlalchemy import event

from index.tokens import Tokenizer
from knowledge.notes.ingest import Ingestor
from knowledge.store.database import Store
from tests.fakes import EmbedderFailure, FailingEmbedder, FakeEmbedder
from tests.knowledge.conftest import (
    DAY_1,
    DAY_2,
    OTHER,
    FollowingIndex,
    counts,
    journal,
    note,
    passage_ids,
)


class InjectedCrash(RuntimeError):
    """Raised where a failpoint would have killed the process."""


def crash_at(monkeypatch: pytest.MonkeyPatch, point: str) -> None:
    """Arm the real failpoint `point` (SUNBAE_FAILPOINT), raising instead of `kill -9`."""

    def kill(pid: int, sig: int) -> None:
        assert (pid, sig) == (os.getpid(), signal.SIGKILL)
        raise InjectedCrash(point)

    monkeypatch.setenv("SUNBAE_FAILPOINT", point)
    monkeypatch.setattr(os, "kill", kill)


@pytest.fixture
def base(ingestor: Ingestor, store: Store, following_index: FollowingIndex) -> tuple:
    """A note stored before the test's own ingest: its counts and index ids."""
    ingestor.ingest([note("base.md", OTHER)])
    return counts(store), following_index.ids()


def test_an_ingest_stores_every_section_and_indexes_every_passage(
    ingestor: Ingestor, store: Store, following_index: FollowingIndex
) -> None:
    """A two-day journal lands as one source, two days, and passages held by FAISS and BM25."""
    report = ingestor.ingest([note("week1.md", journal(DAY_1, DAY_2))])
    assert report.added == ["week1.md"]
    sources, sections, passages = counts(store)
    assert (sources, sections) == (1, 2)
    assert passages == report.passages == report.embedded > 0
    assert following_index.ids() == passage_ids(store)


@pytest.mark.parametrize("point", ["ingest:embedded", "ingest:before-commit"])
def test_a_crash_before_the_commit_leaves_no_rows_and_the_index_unchanged(
    ingestor: Ingestor, store: Store, following_index: FollowingIndex, base: tuple,
    monkeypatch: pytest.MonkeyPatch, point: str,
) -> None:
    """Killed at a failpoint before the commit, a batch of two notes stores nothing at all."""
    before_counts, before_ids = base
    applied = following_index.applied
    crash_at(monkeypatch, point)
    with pytest.raises(InjectedCrash):
        ingestor.ingest([note("week1.md", journal(DAY_1, DAY_2)), note("week2.md", DAY_2)])
    assert counts(store) == before_counts
    assert following_index.ids() == before_ids
    assert following_index.applied == applied


def test_a_database_error_while_writing_rolls_back(
    ingestor: Ingestor, store: Store, following_index: FollowingIndex, base: tuple
) -> None:
    """A failing flush (disk full) inside the transaction leaves neither rows nor index ids."""
    before_counts, before_ids = base

    def disk_full(session, _context, _instances) -> None:  # type: ignore[no-untyped-def]
        if session.new:
            raise OSError("disk full")

    event.listen(store._sessions, "before_flush", disk_full)
    try:
        with pytest.raises(OSError, match="disk full"):
            ingestor.ingest([note("week1.md", journal(DAY_1, DAY_2))])
    finally:
        event.remove(store._sessions, "before_flush", disk_full)
    assert counts(store) == before_counts
    assert following_index.ids() == before_ids


def test_an_embedder_failing_mid_ingest_leaves_no_rows(
    store: Store, tokenizer: Tokenizer, following_index: FollowingIndex
) -> None:
    """The second embedding batch fails: nothing of the note is stored or indexed."""
    failing = FailingEmbedder(fail_on=2, batch_size=1)
    ingestor = Ingestor(store, failing, tokenizer, following_index.apply)  # type: ignore[arg-type]
    with pytest.raises(EmbedderFailure):
        ingestor.ingest([note("week1.md", journal(DAY_1, DAY_2))])
    assert failing.passage_calls == 2
    assert counts(store) == (0, 0, 0)
    assert following_index.ids() == set()
    assert following_index.applied == 0


def test_a_failed_ingest_can_be_retried_whole(
    ingestor: Ingestor, store: Store, following_index: FollowingIndex,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a crash before the commit, the same ingest lands as a first one would."""
    crash_at(monkeypatch, "ingest:before-commit")
    with pytest.raises(InjectedCrash):
        ingestor.ingest([note("week1.md", journal(DAY_1, DAY_2))])
    monkeypatch.delenv("SUNBAE_FAILPOINT")
    report = ingestor.ingest([note("week1.md", journal(DAY_1, DAY_2))])
    assert report.added == ["week1.md"]
    assert counts(store)[:2] == (1, 2)
    assert following_index.ids() == passage_ids(store)


def test_reingesting_the_same_file_keeps_one_copy_and_embeds_nothing(
    ingestor: Ingestor, store: Store, following_index: FollowingIndex,
    fake_embedder: FakeEmbedder,
) -> None:
    """An unchanged file is reported unchanged; rows, ids and the index stay as they were."""
    text = journal(DAY_1, DAY_2)
    ingestor.ingest([note("week1.md", text)])
    before = (counts(store), passage_ids(store), following_index.ids(), following_index.applied)
    embedded = len(fake_embedder.embedded_passages)
    report = ingestor.ingest([note("week1.md", text)])
    assert report.unchanged == ["week1.md"] and report.embedded == 0
    assert len(fake_embedder.embedded_passages) == embedded
    assert (counts(store), passage_ids(store), following_index.ids(),
            following_index.applied) == before


def test_a_changed_file_replaces_its_passages_and_reuses_unchanged_vectors(
    ingestor: Ingestor, store: Store, following_index: FollowingIndex,
    fake_embedder: FakeEmbedder,
) -> None:
    """Editing one day: new passage ids everywhere, and only the edited day is embedded again."""
    ingestor.ingest([note("week1.md", journal(DAY_1, DAY_2))])
    old_ids = passage_ids(store)
    fake_embedder.embedded_passages.clear()
    report = ingestor.ingest([note("week1.md", journal(DAY_1, DAY_2.replace("momentum", "eps")))])
    assert report.changed == ["week1.md"]
    assert report.reused >= 1 and report.embedded >= 1
    assert all("eps" in text for text in fake_embedder.embedded_passages)
    new_ids = passage_ids(store)
    assert not old_ids & new_ids
    assert following_index.ids() == new_ids
    assert counts(store)[:2] == (1, 2)


def test_removing_a_source_removes_its_sections_passages_and_index_ids(
    ingestor: Ingestor, store: Store, following_index: FollowingIndex, base: tuple
) -> None:
    """`remove` takes one source out of the store and the index; the other stays whole."""
    before_counts, base_ids = base
    ingestor.ingest([note("week1.md", journal(DAY_1, DAY_2))])
    report = ingestor.ingest([], remove=["week1.md"])
    assert report.removed == ["week1.md"]
    assert counts(store) == before_counts
    assert passage_ids(store, "week1.md") == set()
    assert following_index.ids() == base_ids == passage_ids(store, "base.md")


def test_removing_an_unknown_source_changes_nothing(
    ingestor: Ingestor, store: Store, following_index: FollowingIndex, base: tuple
) -> None:
    """A key that is not stored is not reported removed and does not touch the index."""
    applied = following_index.applied
    report = ingestor.ingest([], remove=["never-stored.md"])
    assert report.removed == []
    assert counts(store) == base[0]
    assert following_index.applied == applied


def test_a_source_gone_from_its_folder_is_pruned(
    ingestor: Ingestor, store: Store, following_index: FollowingIndex
) -> None:
    """A folder ingested again without one of its notes drops that note, and only that one."""
    ingestor.ingest([note("notes/a.md", journal(DAY_1)), note("notes/b.md", OTHER),
                     note("elsewhere/c.md", journal(DAY_2))])
    report = ingestor.ingest([note("notes/a.md", journal(DAY_1))], prune_prefixes=["notes/"])
    assert report.removed == ["notes/b.md"]
    assert counts(store)[0] == 2
    assert following_index.ids() == passage_ids(store)


def test_the_same_file_given_twice_is_refused_and_nothing_stored(
    ingestor: Ingestor, store: Store
) -> None:
    """Two notes under one key are an error before anything is embedded or written."""
    with pytest.raises(ValueError, match="twice"):
        ingestor.ingest([note("week1.md", journal(DAY_1)), note("week1.md", journal(DAY_2))])
    assert counts(store) == (0, 0, 0)


def test_passage_ids_are_never_reused_after_a_removal(
    ingestor: Ingestor, store: Store
) -> None:
    """Ids given after a delete are all above every id given before (a stale index can never
    pass for a current one)."""
    ingestor.ingest([note("week1.md", journal(DAY_1, DAY_2))])
    first = passage_ids(store)
    ingestor.ingest([], remove=["week1.md"])
    ingestor.ingest([note("week1.md", journal(DAY_1, DAY_2))])
    assert min(passage_ids(store)) > max(first)


def test_progress_reports_every_embedded_passage(ingestor: Ingestor) -> None:
    """The progress callback ends at (n, n) for the n passages embedded."""
    seen: list[tuple[int, int]] = []
    report = ingestor.ingest([note("week1.md", journal(DAY_1, DAY_2))],
                             progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (report.embedded, report.embedded)
