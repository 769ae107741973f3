"""`kill -9` during an ingest: after a restart the store and index agree, the file is in whole
or not at all, and ingesting it again gives exactly one copy."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from knowledge.core import Sunbae
from knowledge.doctor import examine
from knowledge.settings import Settings
from knowledge.store.database import Store
from knowledge.store.models import Passage, Section, Source
from tests.conftest import REPO, SAMPLE, model_cache

BASE_NOTE = "# Day 1 - 시작\n\n오늘은 부트캠프 첫날, 개발 환경을 설정했다.\n"
FAILPOINTS = ["ingest:embedded", "ingest:before-commit", "ingest:committed",
              "index:between-files"]
# Seeded, so a rerun kills at the same moments; the assertions hold wherever a kill lands.
RANDOM_DELAYS = [round(random.Random(9).uniform(1.0, 20.0), 2) for _ in range(3)]


def _settings(folder: Path) -> Settings:
    return Settings(_env_file=None, data_dir=folder / "data", model_cache=model_cache())


def _passages_of(settings: Settings, suffix: str) -> int | None:
    store = Store(settings.resolved_database_url)  # only the rows: no model, no index
    try:
        with store.session() as session:
            if session.scalar(select(Source.id).where(Source.path.endswith(suffix))) is None:
                return None
            return session.scalar(
                select(func.count(Passage.id))
                .join(Section, Passage.section_id == Section.id)
                .join(Source, Section.source_id == Source.id)
                .where(Source.path.endswith(suffix))
            )
    finally:
        store.close()


def _ingest_process(settings: Settings, path: Path, env_extra: dict[str, str]) -> subprocess.Popen:  # type: ignore[type-arg]
    env = os.environ | env_extra | {
        "SUNBAE_DATA_DIR": str(settings.data_dir),
        "SUNBAE_MODEL_CACHE": str(settings.resolved_model_cache),
        "PYTHONPATH": str(REPO),
    }
    env.pop("SUNBAE_DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "bot.cli.main", "ingest", str(path)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _check_after_restart(settings: Settings, embedder, target: Path) -> None:  # type: ignore[no-untyped-def]
    before = _passages_of(settings, target.name)
    core = Sunbae.open(settings, embedder=embedder)  # the restart: finds and fixes a stale index
    try:
        assert all(f.ok for f in examine(settings)), examine(settings)
        assert _passages_of(settings, "base.md") == 1  # what was stored before is not lost
        report = core.ingest_paths([target])
        after = _passages_of(settings, target.name)
        assert after and after > 1
        if before is None:
            assert report.added == [target.name]
        else:  # it was in: whole, so ingesting again changes nothing
            assert before == after
            assert report.unchanged == [target.name]
        assert core.stats().sources == 2  # exactly one copy
        assert all(f.ok for f in examine(settings))
    finally:
        core.close()


@pytest.mark.parametrize("kill", FAILPOINTS + [f"after {d} s" for d in RANDOM_DELAYS])
def test_kill_during_ingest_loses_nothing(kill: str, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    """Killed at a named point or after a seeded random delay, the ingest is all or nothing."""
    settings = _settings(tmp_path)
    base = tmp_path / "base.md"
    base.write_text(BASE_NOTE, encoding="utf-8")
    first = Sunbae.open(settings, embedder=embedder)
    try:
        first.ingest_paths([base])
    finally:
        first.close()
    target = SAMPLE / "week2.md"
    if kill.startswith("after"):
        process = _ingest_process(settings, target, {})
        try:
            process.wait(timeout=float(kill.split()[1]))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    else:
        process = _ingest_process(settings, target, {"SUNBAE_FAILPOINT": kill})
        assert process.wait(timeout=300) == -9  # it really died at that point
    time.sleep(0.1)
    _check_after_restart(settings, embedder, target)
