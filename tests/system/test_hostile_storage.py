"""Hostile notes against the store, on SQLite and PostgreSQL: clear refusals instead of
database errors, same-named uploads that cannot replace each other, concurrent ingests that
leave the saved index consistent, and a hostile index manifest."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import pytest
from sqlalchemy import select

from index.tokens import Tokenizer
from index.vectors import MANIFEST_FILE, read_saved
from knowledge.core import Sunbae
from knowledge.errors import NoteTaken, UnreadableNote
from knowledge.settings import Settings
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
