"""Ingest: idempotent, incremental, whole or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from knowledge.errors import UnreadableNote

DAY_A = "Day 1 (03/02)\n---\n오늘은 옵티마이저로 AdamW를 처음 써봤다. weight decay가 분리된다.\n"
DAY_B = "Day 2 (03/03)\n---\n오늘은 BatchNorm의 momentum 값을 바꿔 실험했다.\n"


def journal(*days: str) -> str:
    """A one-week journal in the weekly layout."""
    return "Week 1 (03/02 ~ 03/06)\n===\n\n" + "\n".join(days)


def counts(core) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """(sources, sections, passages) in the store."""
    stats = core.stats()
    return stats.sources, stats.sections, stats.passages


def write(folder: Path, name: str, text: str) -> Path:
    """Write a note file and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_journal_ingests_days(sample_core) -> None:  # type: ignore[no-untyped-def]
    """The sample journal lands as five days with passages in the index."""
    sources, sections, passages = counts(sample_core)
    assert sources == 1
    assert sections >= 5
    assert passages == sample_core.stats().indexed_passages > 0


def test_reingest_unchanged_embeds_nothing(core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A second ingest of the same file embeds no passage and changes nothing."""
    write(tmp_path / "notes", "week1.md", journal(DAY_A, DAY_B))
    first = core.ingest_paths([tmp_path / "notes"])
    before = counts(core)
    second = core.ingest_paths([tmp_path / "notes"])
    assert first.embedded > 0
    assert second.embedded == 0
    assert second.unchanged == ["week1.md"]
    assert counts(core) == before


def test_changed_file_replaces_its_passages(core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Editing a file replaces its passages in the store and the index; unchanged text is reused."""
    path = write(tmp_path, "week1.md", journal(DAY_A, DAY_B))
    core.ingest_paths([path])
    old_ids = {p.id for p in core.stored_passages()}
    path.write_text(journal(DAY_A, DAY_B.replace("momentum", "eps")), encoding="utf-8")
    report = core.ingest_paths([path])
    new_ids = {p.id for p in core.stored_passages()}
    texts = " ".join(p.text for p in core.stored_passages())
    assert report.changed == ["week1.md"]
    assert report.reused >= 1 and report.embedded >= 1
    assert not old_ids & new_ids
    assert set(core._index.vectors.ids().tolist()) == new_ids  # FAISS itself, not a count
    assert "momentum" not in texts and "eps" in texts


def test_removed_section_stops_being_cited(core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A day deleted from a file is no longer cited."""
    path = write(tmp_path, "week1.md", journal(DAY_A, DAY_B))
    core.ingest_paths([path])
    assert any(c.day == "Day 2" for c in core.ask("BatchNorm momentum 실험", max_citations=5)
               .citations)
    path.write_text(journal(DAY_A), encoding="utf-8")
    core.ingest_paths([path])
    answer = core.ask("BatchNorm momentum 실험", max_citations=5)
    assert all(c.day != "Day 2" for c in answer.citations)


def test_file_removed_from_folder_is_removed(core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Re-ingesting a folder drops the notes that are gone from it."""
    folder = tmp_path / "notes"
    write(folder, "week1.md", journal(DAY_A))
    gone = write(folder, "week2.md", journal(DAY_B))
    core.ingest_paths([folder])
    gone.unlink()
    report = core.ingest_paths([folder])
    assert len(report.removed) == 1
    assert counts(core)[0] == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00"),
        ("latin1.md", "caf\xe9 na\xefve".encode("latin-1")),
    ],
)
def test_unreadable_file_leaves_store_unchanged(core, tmp_path: Path, name: str,  # type: ignore[no-untyped-def]
                                                data: bytes) -> None:
    """A folder holding one unreadable file stores nothing at all, and says which file."""
    folder = tmp_path / "notes"
    write(folder, "good.md", journal(DAY_A))
    (folder / name).write_bytes(data)
    with pytest.raises(UnreadableNote, match=name):
        core.ingest_paths([folder])
    assert counts(core) == (0, 0, 0)
    assert core.stats().indexed_passages == 0


def test_utf16_with_bom_is_accepted(core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A UTF-16 file with a byte-order mark is read like UTF-8."""
    (tmp_path / "w.md").write_bytes(journal(DAY_A).encode("utf-16"))
    report = core.ingest_paths([tmp_path / "w.md"])
    assert report.added == ["w.md"]
    assert counts(core)[1] >= 1


def test_failed_store_rolls_back(core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A crash while writing leaves neither rows nor index entries behind."""
    path = write(tmp_path, "week1.md", journal(DAY_A, DAY_B))

    def disk_full(session, _context, _instances) -> None:  # type: ignore[no-untyped-def]
        if session.new:
            raise OSError("disk full")

    # The fault is injected into the store's sessions: the one test that needs the part itself.
    event.listen(core._store._sessions, "before_flush", disk_full)
    try:
        with pytest.raises(OSError, match="disk full"):
            core.ingest_paths([path])
    finally:
        event.remove(core._store._sessions, "before_flush", disk_full)
    assert counts(core) == (0, 0, 0)
    assert core.stats().indexed_passages == 0
    assert core.ingest_paths([path]).added == ["week1.md"]
