"""The command line and the terminal channel, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, model_cache


def run_sunbae(args: list[str], data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess:
    """Run `sunbae ARGS` in a fresh process against its own data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUNBAE_", "DISCORD_"))}
    env |= {"SUNBAE_DATA_DIR": str(data_dir), "SUNBAE_MODEL_CACHE": str(model_cache())}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli.main", *args],
        input=stdin, capture_output=True, text=True, cwd=data_dir, env=env, timeout=600,
    )


@pytest.fixture(scope="module")
def started(tmp_path_factory, embedder) -> tuple[Path, subprocess.CompletedProcess]:  # type: ignore[no-untyped-def]
    """`sunbae start` (what `make run` runs) fed two questions on a pipe, then end of input."""
    data = tmp_path_factory.mktemp("cli")
    piped = "DataLoader collate_fn이 뭐야?\n쿠버네티스 파드 오토스케일링 설정법?\n"
    return data, run_sunbae(["start"], data, stdin=piped)


def test_start_answers_piped_questions_and_exits_cleanly(started) -> None:  # type: ignore[no-untyped-def]
    """Piped questions are answered one a line and end of input exits with status 0."""
    _, result = started
    assert result.returncode == 0, result.stderr
    assert "curated answer by" in result.stdout
    assert "아직 모르겠어요" in result.stdout
    assert "Week 2 · Day 8 (11/15)" in result.stdout


def test_ask_json_has_the_documented_shape(started) -> None:  # type: ignore[no-untyped-def]
    """`sunbae ask --json` prints the answer, kind, confidence, citations and latency."""
    data, _ = started
    result = run_sunbae(["ask", "두런두런 행사에서 마스터님이 무슨 얘기 했어?", "--json"], data)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["kind"] == "passage"
    assert {"answer", "kind", "confidence", "citations", "latency_ms"} <= set(payload)
    citation = payload["citations"][0]
    assert set(citation) >= {"source", "label", "day", "week", "date", "quote"}
    assert citation["day"] == "Day 8" and citation["week"] == 2 and citation["date"] == "11/15"


def test_a_promoted_answer_is_the_next_answer_with_the_same_days(tmp_path: Path) -> None:
    """`sunbae ask --json "…"`, then `sunbae curate promote ASK_ID` as written (the author is
    the login name, the answer the bot's): the same question next gets the curated answer,
    citing the same days."""
    assert run_sunbae(["start"], tmp_path).returncode == 0  # the sample and curated answers
    question = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"
    first = json.loads(run_sunbae(["ask", question, "--json"], tmp_path).stdout)
    assert first["kind"] == "passage" and first["citations"]
    promoted = run_sunbae(["curate", "promote", str(first["ask_id"])], tmp_path)
    assert promoted.returncode == 0, promoted.stdout + promoted.stderr
    again = json.loads(run_sunbae(["ask", question, "--json"], tmp_path).stdout)
    assert again["kind"] == "curated" and again["answer"] == first["answer"]
    days = [(c["source"], c["label"]) for c in first["citations"]]
    assert [(c["source"], c["label"]) for c in again["citations"]] == days


def test_unanswered_lists_the_abstention(started) -> None:  # type: ignore[no-untyped-def]
    """The question Sunbae could not answer shows up in `sunbae unanswered`."""
    data, _ = started
    result = run_sunbae(["unanswered"], data)
    assert "쿠버네티스 파드 오토스케일링 설정법?" in result.stdout


def test_ingest_of_unreadable_file_fails_clearly(started, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An unreadable file gets a clear error, a non-zero status, and nothing stored."""
    data, _ = started
    bad = tmp_path / "notes.md"
    bad.write_bytes(b"\xff\xfe\xfa not utf8 \x00\x01")
    result = run_sunbae(["ingest", str(bad)], data)
    assert result.returncode == 1
    assert "notes.md" in result.stderr and "nothing was stored" in result.stderr


def test_curate_list_shows_shipped_answers(started) -> None:  # type: ignore[no-untyped-def]
    """The curated answers loaded by `start` are listed by `sunbae curate list`."""
    data, _ = started
    result = run_sunbae(["curate", "list"], data)
    assert result.returncode == 0
    assert "collate-fn" in result.stdout and "resize-centercrop" in result.stdout


def test_repo_ships_sample_journal() -> None:
    """The week-2 sample journal that `make run` ingests is part of the package."""
    sample = REPO / "knowledge" / "resources" / "sample" / "week2.md"
    assert sample.read_text(encoding="utf-8").startswith("Week 2")
