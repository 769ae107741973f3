"""`sunbae doctor`: finds a damaged index and repairs it from the database."""

from __future__ import annotations

import logging

import pytest

from index.vectors import INDEX_FILE
from knowledge.core import Sunbae
from knowledge.doctor import examine, repair


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
    restarted = Sunbae.open(settings, embedder=embedder)
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
    Sunbae.open(settings, embedder=embedder).close()
    assert all(f.ok for f in examine(settings))


def _truncate(folder) -> None:  # type: ignore[no-untyped-def]
    path = folder / INDEX_FILE
    path.write_bytes(path.read_bytes()[:100])


def _flip_bytes(folder) -> None:  # type: ignore[no-untyped-def]
    path = folder / INDEX_FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 16] = bytes(16)
    path.write_bytes(bytes(data))


def _delete(folder) -> None:  # type: ignore[no-untyped-def]
    (folder / INDEX_FILE).unlink()


def _other_model(folder) -> None:  # type: ignore[no-untyped-def]
    import json

    from index.vectors import MANIFEST_FILE

    manifest = folder / MANIFEST_FILE
    manifest.write_text(json.dumps(json.loads(manifest.read_text()) | {"model": "other"}))


@pytest.mark.parametrize("damage", [_truncate, _flip_bytes, _delete, _other_model])
def test_damaged_index_is_rebuilt_at_start_logged_once_same_answers(sample_core, settings, embedder, damage, caplog) -> None:  # type: ignore[no-untyped-def]  # noqa: E501
    """Any damage is found at start, rebuilt from the stored vectors with one warning, and
    the answers do not change."""
    questions = ["contiguous가 뭐야?", "collate_fn이 뭐야?"]
    before = [sample_core.ask(q, record=False) for q in questions]
    sample_core.close()
    damage(settings.resolved_index_dir)
    with caplog.at_level(logging.INFO, logger="index.vectors"):
        restarted = Sunbae.open(settings, embedder=embedder)
    try:
        warnings = [r for r in caplog.records
                    if r.name == "index.vectors" and r.levelno >= logging.WARNING]
        assert len(warnings) == 1, warnings
        after = [restarted.ask(q, record=False) for q in questions]
    finally:
        restarted.close()
    assert [(a.kind, a.text, [c.label for c in a.citations]) for a in after] == \
        [(b.kind, b.text, [c.label for c in b.citations]) for b in before]
    assert all(f.ok for f in examine(settings))


def test_rebuild_index_reads_stored_vectors_and_embeds_nothing(sample_core, settings,  # type: ignore[no-untyped-def]
                                                                monkeypatch) -> None:
    """`rebuild_index` (what reindex and --repair run) restores deleted index files from the
    stored vectors without embedding, and the answers stay the same."""
    before = sample_core.ask("contiguous가 뭐야?", record=False)
    _delete(settings.resolved_index_dir)

    def no_embedding(texts):  # type: ignore[no-untyped-def]
        raise AssertionError(f"re-embedded {len(texts)} passages")

    monkeypatch.setattr(sample_core._embedder, "embed_passages", no_embedding)
    assert sample_core.rebuild_index() == sample_core.stats().passages > 0
    assert all(f.ok for f in examine(settings))
    after = sample_core.ask("contiguous가 뭐야?", record=False)
    assert (after.kind, after.text, [c.label for c in after.citations]) == \
        (before.kind, before.text, [c.label for c in before.citations])
