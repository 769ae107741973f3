"""`pytest -m "not system"` runs the fast set without the model: checked in a fresh process."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

HEAVY = ("torch", "sentence_transformers", "transformers")
# The parts the fast tests exercise for real; finding them loaded shows the run did real work.
REAL_PARTS = ("kiwipiepy", "faiss", "sqlalchemy", "alembic", "knowledge.notes.ingest",
              "knowledge.curation.answers", "knowledge.store.asklog", "index.lexical")

# Runs pytest in-process, then reports the outcome, the tests that passed and what was imported.
PROBE = """
import json, sys
import pytest

class Passed:
    count = 0
    def pytest_runtest_logreport(self, report):
        if report.when == "call" and report.passed:
            Passed.count += 1

code = pytest.main(sys.argv[2:], plugins=[Passed()])
with open(sys.argv[1], "w") as out:
    json.dump({"exit": int(code), "passed": Passed.count, "modules": sorted(sys.modules)}, out)
"""


def test_fast_set_passes_without_importing_torch(tmp_path: Path) -> None:
    """The fast set passes in a fresh interpreter that never imports torch, transformers or
    sentence-transformers (which are installed, so their absence means something)."""
    assert all(importlib.util.find_spec(name) is not None for name in HEAVY)
    report = tmp_path / "report.json"
    env = os.environ | {"PYTHONPATH": str(REPO)}
    env.pop("SUNBAE_FAILPOINT", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(report), "-q", "-m", "not system",
         "-p", "no:cacheprovider", f"--basetemp={tmp_path / 'run'}", str(REPO / "tests")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900,
    )
    assert report.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    outcome = json.loads(report.read_text())
    assert outcome["exit"] == 0, result.stdout[-3000:]
    assert outcome["passed"] >= 250, outcome["passed"]  # the whole fast set ran, not a corner
    loaded = set(outcome["modules"])
    assert set(REAL_PARTS) <= loaded, f"not exercised: {sorted(set(REAL_PARTS) - loaded)}"
    heavy = loaded & set(HEAVY)
    assert not heavy, f"the fast set imported {sorted(heavy)}"
