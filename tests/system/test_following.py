"""Several processes on one database: a running core follows the others' changes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from knowledge.core import Sunbae
from tests.conftest import REPO, SAMPLE

NOTE = """# Day 30 - 쿠버네티스

오늘은 쿠버네티스 HPA 로 파드 오토스케일링을 설정했다. CPU 사용률 70% 기준으로 replica 를
2개에서 10개까지 늘리도록 metrics-server 를 먼저 설치해야 한다.
"""
QUESTION = "쿠버네티스 파드 오토스케일링은 어떻게 설정해?"


def _cited(core: Sunbae, question: str) -> list[str]:
    return [c.source for c in core.ask(question, record=False).citations]


def test_refresh_applies_another_cores_changes(core, settings, embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Passages another core adds or removes reach this one's index by ids, without a restart."""
    core.ingest_paths([SAMPLE])
    other = Sunbae.open(settings, embedder=embedder)
    try:
        note = tmp_path / "k8s.md"
        note.write_text(NOTE, encoding="utf-8")
        other.ingest_paths([note])
        assert not any("k8s.md" in s for s in _cited(core, QUESTION))
        before = core.stats().indexed_passages
        assert core.refresh() is True
        assert core.stats().indexed_passages > before
        assert any("k8s.md" in s for s in _cited(core, QUESTION))
        assert core.refresh() is False  # nothing new: one cheap read, no work
        assert other.remove_source(str(note.resolve()))
        assert core.refresh() is True
        assert core.stats().indexed_passages == before
        assert not any("k8s.md" in s for s in _cited(core, QUESTION))
    finally:
        other.close()


def test_refresh_picks_up_a_curated_answer_added_elsewhere(core, settings, embedder) -> None:  # type: ignore[no-untyped-def]
    """A curated answer saved by another process wins here after the next refresh."""
    other = Sunbae.open(settings, embedder=embedder)
    try:
        other.add_curated(question="과제 제출은 어디에 하나요?", answer="LMS 과제 탭에 올려요.",
                          author="maintainer")
    finally:
        other.close()
    assert core.ask("과제 제출은 어디에 하나요?", record=False).kind != "curated"
    core.refresh()
    assert core.ask("과제 제출은 어디에 하나요?", record=False).kind == "curated"


def test_core_follows_a_cli_ingest_elsewhere(core, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`sunbae ingest` in a second process is answered by a following core, no restart."""
    core.ingest_paths([SAMPLE])
    core.follow(interval=0.5)
    note = tmp_path / "k8s.md"
    note.write_text(NOTE, encoding="utf-8")
    env = os.environ | {
        "SUNBAE_DATA_DIR": str(settings.data_dir),
        "SUNBAE_MODEL_CACHE": str(settings.resolved_model_cache),
        "SUNBAE_DATABASE_URL": settings.resolved_database_url,
        "PYTHONPATH": str(REPO),
    }
    subprocess.run([sys.executable, "-m", "bot.cli.main", "ingest", str(note)],
                   cwd=tmp_path, env=env, check=True, capture_output=True, timeout=300)
    # The follower polls every 0.5 s; the bound here is generous so a busy machine cannot flake.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any("k8s.md" in s for s in _cited(core, QUESTION)):
        time.sleep(0.2)
    assert any("k8s.md" in s for s in _cited(core, QUESTION))


def test_stale_index_skips_a_file_removed_elsewhere(core, settings, embedder, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Before the next refresh, a day another process deleted is skipped, not cited or fatal."""
    note = tmp_path / "k8s.md"
    note.write_text(NOTE, encoding="utf-8")
    core.ingest_paths([SAMPLE, note])
    assert any("k8s.md" in s for s in _cited(core, QUESTION))
    other = Sunbae.open(settings, embedder=embedder)
    try:
        assert other.remove_source(str(note.resolve()))
    finally:
        other.close()
    assert not any("k8s.md" in s for s in _cited(core, QUESTION))
