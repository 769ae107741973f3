"""The bench's `hostile_ingest_max_s`: a real `sunbae ingest` process per hostile note."""

from __future__ import annotations

from knowledge.bench.hostile import HOSTILE, measure_hostile_ingest, note_file_name
from tests.conftest import model_cache


def test_hostile_ingest_key_times_a_real_cli_ingest() -> None:
    """One note through `sunbae ingest` gives the key and the note's own time (no timing is
    asserted: the bench reports it)."""
    result = measure_hostile_ingest(model_cache(), ["run of dots"])
    assert set(result) == {"hostile_ingest_max_s", "hostile_ingest_s", "plain_ingest_s"}
    assert result["plain_ingest_s"] > 0
    assert result["hostile_ingest_max_s"] == result["hostile_ingest_s"]["run of dots"] > 0


def test_every_hostile_note_is_300_kb_and_has_a_file_name() -> None:
    """The bench and the parsing tests share one set of 300 KB inputs."""
    assert len(HOSTILE) == 15
    assert all(len(text) >= 300_000 for text in HOSTILE.values())
    assert len({note_file_name(name) for name in HOSTILE}) == len(HOSTILE)
