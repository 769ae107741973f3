"""`sunbae doctor`: finds a damaged index and repairs it from the database."""

from __future__ import annotations

from index.vectors import INDEX_FILE
from knowledge.doctor import examine, repair
from knowledge.service import Sunbae


def test_fresh_store_is_healthy(sample_core, settings) -> None:  # type: ignore[no-untyped-def]
    """After an ingest every part agrees."""
    findings = examine(settings)
    assert all(f.ok for f in findings), findings


def test_truncated_index_is_found_and_repaired(sample_core, settings, embedder) -> None:  # type: ignore[no-untyped-def]
    """A truncated index file is reported, and --repair rebuilds it with the same answers."""
    before = sample_core.ask("contiguous가 뭐야?", record=False)
    sample_core.close()
    index_file = settings.resolved_index_dir / INDEX_FILE
    index_file.write_bytes(index_file.read_bytes()[:100])
    broken = [f for f in examine(settings) if not f.ok]
    assert [f.part for f in broken] == ["FAISS index"]
    assert "corrupt" in broken[0].detail
    assert all(f.ok for f in repair(settings))
    restarted = Sunbae(settings, embedder=embedder)
    try:
        after = restarted.ask("contiguous가 뭐야?", record=False)
    finally:
        restarted.close()
    assert (after.kind, after.text) == (before.kind, before.text)


def test_missing_index_is_reported(sample_core, settings) -> None:  # type: ignore[no-untyped-def]
    """Deleted index files are a finding, not a crash."""
    sample_core.close()
    (settings.resolved_index_dir / INDEX_FILE).unlink()
    broken = [f for f in examine(settings) if not f.ok]
    assert [f.part for f in broken] == ["FAISS index"]
    assert "missing" in broken[0].detail


def test_manifest_from_another_model_is_rebuilt_at_start(sample_core, settings, embedder) -> None:  # type: ignore[no-untyped-def]
    """An index built by another model is reported, and a restart rebuilds it from the rows."""
    import json

    from index.vectors import MANIFEST_FILE

    sample_core.close()
    manifest = settings.resolved_index_dir / MANIFEST_FILE
    manifest.write_text(json.dumps(json.loads(manifest.read_text()) | {"model": "other-model"}))
    broken = [f for f in examine(settings) if not f.ok]
    assert "other-model" in broken[0].detail
    Sunbae(settings, embedder=embedder).close()
    assert all(f.ok for f in examine(settings))
