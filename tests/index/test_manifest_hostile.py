"""The index manifest reader on hostile JSON: a clear reason and a rebuild, never a crash."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from index.vectors import MANIFEST_FILE, VectorIndex, read_saved


def _saved(folder: Path) -> None:
    index = VectorIndex(8)
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(3, 8)).astype(np.float32)
    index.add(np.arange(3), vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    index.save(folder, "model-a")


@pytest.mark.parametrize(
    "manifest",
    ["[" * 100_000, "{" * 100_000, '["a list"]', '"a string"', "null", '{"unknown": 1}'],
    ids=["nested lists", "nested objects", "list", "string", "null", "unknown field"],
)
def test_a_hostile_manifest_is_not_trusted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, manifest: str
) -> None:
    """100k nested `[` (and other JSON that is no manifest) gives a reason, not RecursionError."""
    _saved(tmp_path)
    (tmp_path / MANIFEST_FILE).write_text(manifest)
    _, why = read_saved(tmp_path, model="model-a", dim=8, expected_ids=np.arange(3))
    assert why is not None and "manifest unreadable" in why
    with caplog.at_level(logging.WARNING, logger="index.vectors"):
        loaded = VectorIndex.load(tmp_path, model="model-a", dim=8, expected_ids=np.arange(3))
    assert loaded is None
    assert "rebuilding from the database" in caplog.text
