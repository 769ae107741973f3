"""Bad input: a clear error, nothing stored, nothing lost; odd but valid input just works."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.core import MAX_QUESTION_CHARS
from knowledge.doctor import examine
from knowledge.errors import EmptyQuestion, UnreadableNote
from tests.conftest import REPO, SAMPLE

GOOD = "# Day 3 - 텐서\n\ncontiguous 한 텐서는 메모리에 연속으로 놓여 있다.\n"


def _counts(core) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    stats = core.stats()
    return stats.sources, stats.passages


BAD_FILES = {
    "empty.md": b"",
    "blank.md": b"  \n\n\t\n",
    "binary.md": bytes(range(256)) * 4,
    "latin1.md": "café 노트".encode()[:-1] + b"\xe9\xff",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_in_a_batch_stores_nothing(sample_core, settings, tmp_path, name: str) -> None:  # type: ignore[no-untyped-def]
    """One unreadable file among good ones: its name and reason, and the batch is not stored."""
    before = _counts(sample_core)
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    (folder / name).write_bytes(BAD_FILES[name])
    with pytest.raises(UnreadableNote, match=name):
        sample_core.ingest_paths([folder])
    assert _counts(sample_core) == before
    assert all(f.ok for f in examine(settings))


def test_fifty_megabytes_is_refused_before_reading(sample_core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A 50 MB file is named with its size and the limit; nothing is stored."""
    before = _counts(sample_core)
    big = tmp_path / "big.md"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(UnreadableNote, match=r"big\.md: 52\.4 MB is over the 5 MB limit"):
        sample_core.ingest_paths([big])
    assert _counts(sample_core) == before


def test_odd_but_valid_notes_are_ingested(core, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Valid notes in odd shapes land whole: UTF-16 with BOM, no headings, huge lines, odd names."""
    folder = tmp_path / "노트 모음"
    folder.mkdir()
    (folder / "유니코드 노트.md").write_bytes(codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"))
    (folder / "no headings.txt").write_text("제목 없는 메모. 배치 정규화를 공부했다.\n" * 5)
    (folder / "long line.md").write_text("# Day 9\n\n" + "가나다라 " * 20_000 + "\n")
    report = core.ingest_paths([folder])
    assert sorted(report.added) == ["long line.md", "no headings.txt", "유니코드 노트.md"]
    longest = max(len(p.text) for p in core.stored_passages())
    assert longest <= settings.chunk_chars
    assert all(f.ok for f in examine(settings))


def _cli(args: list[str], data: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = os.environ | env | {"SUNBAE_DATA_DIR": str(data), "PYTHONPATH": str(REPO),
                                      "SUNBAE_MODEL_CACHE": str(REPO / "data" / "models")}
    environment.pop("SUNBAE_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "bot.cli.main", *args], env=environment,
                          capture_output=True, text=True, timeout=300)


def test_cli_refuses_paths_outside_the_allowed_folder(tmp_path: Path) -> None:
    """`../` and a symlink out of SUNBAE_ALLOWED_ROOT are refused by name; nothing is stored."""
    allowed = tmp_path / "allowed"
    (allowed / "inner").mkdir(parents=True)
    outside = tmp_path / "secret.md"
    outside.write_text(GOOD, encoding="utf-8")
    (allowed / "inner" / "link.md").symlink_to(outside)
    for target in [allowed / ".." / "secret.md", allowed]:
        result = _cli(["ingest", str(target)], tmp_path / "data",
                      SUNBAE_ALLOWED_ROOT=str(allowed))
        assert result.returncode == 1
        assert "outside the allowed folder" in result.stderr
        assert "nothing was stored" in result.stderr
    assert not (tmp_path / "data" / "sunbae.db").exists()  # the store was never even opened


@pytest.mark.parametrize("question", ["", "   \n\t ", "🙂🔥👍", "?!… ---", "＊＊"])
def test_empty_questions_get_a_clear_error(sample_core, question: str) -> None:  # type: ignore[no-untyped-def]
    """Nothing to search for: the same clear message, nothing recorded."""
    with pytest.raises(EmptyQuestion, match="질문을 입력해 주세요"):
        sample_core.ask(question)


@pytest.mark.parametrize("question", [
    "'; DROP TABLE passages; -- collate_fn이 뭐야?",
    "collate_fn\" OR 1=1; DELETE FROM sources WHERE ''=''",
    "@everyone <@123> **collate_fn** [click](http://x) 이 뭐야?",
    "collate_fn이 뭐야? " * 1000,
])
def test_hostile_or_huge_questions_are_answered(sample_core, settings, question: str) -> None:  # type: ignore[no-untyped-def]
    """SQL-looking, mention-laden and 10,000-character questions: an ordinary outcome, store
    intact (a long question is read up to its first MAX_QUESTION_CHARS characters)."""
    before = _counts(sample_core)
    answer = sample_core.ask(question)
    assert answer.kind in {"curated", "passage", "abstain"}
    assert len(answer.question) <= MAX_QUESTION_CHARS
    assert _counts(sample_core) == before
    assert all(f.ok for f in examine(settings))


def test_sample_is_still_there_after_bad_input(sample_core) -> None:  # type: ignore[no-untyped-def]
    """The sample journal the other tests start from really is stored (guards the counts)."""
    sources, passages = _counts(sample_core)
    assert sources >= 1 and passages > 10
    assert SAMPLE.exists()
