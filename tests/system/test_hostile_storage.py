"""Hostile notes against the store, on SQLite and PostgreSQL: clear refusals instead of
database errors, same-named uploads that cannot replace each other, concurrent ingests that
leave the saved index consistent, and a hostile index manifest."""

from __future__ import annotations

import argparse
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import event, select

from index.tokens import Tokenizer
from index.vectors import MANIFEST_FILE, read_saved
from knowledge.core import Sunbae
from knowledge.doctor import examine
from knowledge.errors import NoteTaken, SunbaeError, UnreadableNote
from knowledge.settings import Settings
from knowledge.store import schema
from knowledge.store.database import Store
from knowledge.store.models import Passage
from knowledge.views import NoteFile
from tests.fakes import FakeEmbedder

NOTE = "# Day 3 - 옵티마이저\n\n오늘은 AdamW의 weight decay를 배웠다.\n"


def _open(settings: Settings, embedder: FakeEmbedder, tokenizer: Tokenizer) -> Sunbae:
    return Sunbae.open(settings, embedder=embedder, tokenizer=tokenizer)  # type: ignore[arg-type]


@pytest.fixture
def fake_core(settings: Settings, fake_embedder: FakeEmbedder,
              tokenizer: Tokenizer) -> Iterator[Sunbae]:
    """A core over this test's database (SQLite or PostgreSQL) with the fake embedder."""
    core = _open(settings, fake_embedder, tokenizer)
    yield core
    core.close()


def _note(key: str, text: str, author: str | None = None) -> NoteFile:
    return NoteFile(key=key, display=key, text=text, author=author)


def _stored_ids(settings: Settings) -> np.ndarray:
    store = Store(settings.resolved_database_url)
    try:
        with store.session() as session:
            ids = sorted(session.scalars(select(Passage.id)))
    finally:
        store.close()
    return np.asarray(ids, dtype=np.int64)


def _saved_index_problem(settings: Settings, embedder: FakeEmbedder) -> str | None:
    _, problem = read_saved(settings.resolved_index_dir, model=embedder.name, dim=embedder.dim,
                            expected_ids=_stored_ids(settings))
    return problem


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("## Day 8 (" + "날" * 100 + ")\n본문\n## Day 9 (11/16)\n본문\n", "date"),
        ("---\nurl: https://example.com/" + "a" * 2049 + "\n---\n# 노트\n본문\n", "url"),
        ("# 노트\n본문\x00끝\n", "NUL"),
    ],
    ids=["100-character day date", "2049-character front-matter url", "NUL in pasted text"],
)
def test_what_the_database_cannot_keep_is_refused_clearly(
    fake_core: Sunbae, text: str, field: str
) -> None:
    """A clear UnreadableNote naming the field, before the database sees it; nothing stored."""
    with pytest.raises(UnreadableNote, match=field):
        fake_core.ingest_notes([_note("hostile.md", text)])
    assert not fake_core.source_exists("hostile.md")


def test_a_same_named_upload_never_replaces_another_authors_note(fake_core: Sunbae) -> None:
    """Both campers passed the ownership check before either stored: the second is refused
    under the ingest lock and the first keeps the note."""
    key = "discord:1/week3.md"
    fake_core.ingest_notes([_note(key, NOTE, author="discord:1001")], replace_others=False)
    with pytest.raises(NoteTaken, match="another person's note"):
        fake_core.ingest_notes([_note(key, NOTE + "다른 글\n", author="discord:1002")],
                               replace_others=False)
    assert fake_core.source_author(key) == "discord:1001"
    # The author updating their own note is no conflict.
    report = fake_core.ingest_notes([_note(key, NOTE + "더\n", author="discord:1001")],
                                    replace_others=False)
    assert report.changed == [key]


def test_two_ingesting_cores_leave_a_consistent_saved_index(
    settings: Settings, fake_embedder: FakeEmbedder, tokenizer: Tokenizer
) -> None:
    """Two processes' cores ingest one after the other and at once: the index file saved last
    holds every stored passage, so nothing is stale until the next start."""
    first, second = (_open(settings, fake_embedder, tokenizer) for _ in range(2))
    try:
        first.ingest_notes([_note("a.md", NOTE)])
        second.ingest_notes([_note("b.md", NOTE.replace("AdamW", "SGD"))])
        assert _saved_index_problem(settings, fake_embedder) is None
        threads = [
            threading.Thread(target=core.ingest_notes, args=([_note(name, NOTE + name)],))
            for core, name in ((first, "c.md"), (second, "d.md"))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(_stored_ids(settings)) >= 4
        assert _saved_index_problem(settings, fake_embedder) is None
    finally:
        first.close()
        second.close()


def test_a_hostile_manifest_is_rebuilt_and_questions_answer(
    settings: Settings, fake_embedder: FakeEmbedder, tokenizer: Tokenizer
) -> None:
    """100k nested `[` as the manifest: the next start rebuilds the index and answers."""
    core = _open(settings, fake_embedder, tokenizer)
    core.ingest_notes([_note("a.md", NOTE)])
    core.close()
    (settings.resolved_index_dir / MANIFEST_FILE).write_text("[" * 100_000)
    core = _open(settings, fake_embedder, tokenizer)
    try:
        answer = core.ask("AdamW weight decay", user="t", channel="terminal")
        assert answer is not None
        assert _saved_index_problem(settings, fake_embedder) is None
    finally:
        core.close()


ESCAPED_QUESTION = "\x1b]8;;https://evil.example\x07도커\x1b]8;;\x07 볼륨은\x1b[2J 어디에?\x9b"


def _failing_ask_writes(core: Sunbae, reason: str) -> None:
    """Every insert into the ask log fails as the database driver would fail it."""
    engine = core._store.engine
    dbapi_error = engine.dialect.dbapi.OperationalError  # type: ignore[union-attr]

    @event.listens_for(engine, "before_cursor_execute")
    def refuse(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO ASKS"):
            raise dbapi_error(reason)


def test_question_escapes_never_reach_the_log_nor_the_terminal(
    fake_core: Sunbae, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Terminal escapes are stripped before the question is stored; `sunbae unanswered`
    prints none."""
    import bot.cli.asking as asking

    fake_core.ask(ESCAPED_QUESTION, user="camper", channel="terminal")
    stored = [group.question for group in fake_core.unanswered()]
    assert stored and all("\x1b" not in q and "\x9b" not in q for q in stored)

    @contextmanager
    def this_core(settings: object = None) -> Iterator[Sunbae]:
        yield fake_core

    monkeypatch.setattr(asking, "opened_core", this_core)
    asking.cmd_unanswered(argparse.Namespace(limit=10))
    printed = capsys.readouterr().out
    assert "도커" in printed and "\x1b" not in printed and "\x9b" not in printed


def test_a_full_disk_still_gets_an_answer(
    fake_core: Sunbae, caplog: pytest.LogCaptureFixture
) -> None:
    """The ask log write fails (disk full): the answer is given, with a warning and no id."""
    fake_core.ingest_notes([_note("a.md", NOTE)])
    _failing_ask_writes(fake_core, "database or disk is full")
    with caplog.at_level(logging.WARNING, logger="knowledge.store.asklog"):
        answer = fake_core.ask("AdamW weight decay", user="camper", channel="terminal")
    assert answer.text and answer.ask_id is None
    assert "ask not logged" in caplog.text


class _ReadOnlyPath(type(Path())):  # type: ignore[misc]
    """A path whose migration lock file cannot be created, as in a read-only folder."""

    def open(self, *args: object, **kwargs: object):  # type: ignore[no-untyped-def,override]
        if self.name.endswith(".migrate-lock"):
            raise PermissionError(13, "Read-only file system")
        return super().open(*args, **kwargs)


def test_a_read_only_data_folder_still_answers(
    settings: Settings, fake_embedder: FakeEmbedder, tokenizer: Tokenizer,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    """No migration lock can be made and nothing can be written: questions still answer,
    doctor still reports, with warnings instead of crashes."""
    core = _open(settings, fake_embedder, tokenizer)
    core.ingest_notes([_note("a.md", NOTE)])
    core.close()
    monkeypatch.setattr(schema, "Path", _ReadOnlyPath)
    core = _open(settings, fake_embedder, tokenizer)
    try:
        _failing_ask_writes(core, "attempt to write a readonly database")
        answer = core.ask("AdamW weight decay", user="camper", channel="terminal")
        assert answer.text
    finally:
        core.close()
    assert examine(settings)


def test_a_read_only_folder_that_needs_migrating_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh database in a read-only folder cannot be migrated: a clear message."""
    monkeypatch.setattr(schema, "Path", _ReadOnlyPath)
    with pytest.raises(SunbaeError, match="read-only"):
        Store(f"sqlite:///{tmp_path / 'sunbae.db'}")
