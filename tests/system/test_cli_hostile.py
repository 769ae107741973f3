"""`sunbae ingest` on every hostile note of 300 KB: all parsed and stored in one run (the
process is given minutes; the quadratic parsers needed hours for these)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.knowledge.test_hostile_parsing import HOSTILE
from tests.system.test_cli import run_sunbae


def test_sunbae_ingest_takes_every_hostile_note(tmp_path: Path) -> None:
    """Each hostile note is ingested (none hangs, none crashes the run)."""
    notes = tmp_path / "notes"
    notes.mkdir()
    for name, text in HOSTILE.items():
        (notes / (re.sub(r"[^a-z]+", "-", name) + ".md")).write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    result = run_sunbae(["ingest", str(notes)], data)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"added {len(HOSTILE)}," in result.stdout
