"""Shared test set-up: paths, the `system` marker, and the fast fixtures (fake embedder, SQLite).

The real model and PostgreSQL live in tests/system/conftest.py, so `pytest -m "not system"`
never loads torch nor starts a server (tests/system/test_fast_suite.py checks that).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from index.tokens import Tokenizer, shared_tokenizer
from knowledge.settings import Settings
from knowledge.store.database import Store
from tests.fakes import FakeEmbedder

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
SAMPLE = REPO / "knowledge" / "resources" / "sample"
SYSTEM_TESTS = Path(__file__).resolve().parent / "system"


def model_cache() -> Path:
    """Where `make model` converted the default model (the system tests use the real one)."""
    return REPO / "data" / "models"


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/system `system` (real model, PostgreSQL, subprocesses)."""
    system = pytest.mark.system
    for item in items:
        if SYSTEM_TESTS in item.path.parents:
            item.add_marker(system)


class PgServer:
    """A PostgreSQL server the tests may create databases on (fixtures: tests/system)."""

    def __init__(self, admin_url: str, cluster: object | None = None) -> None:
        self.admin_url = make_url(admin_url)
        self.cluster = cluster  # a PgCluster when we started it ourselves (it can be stopped)

    def admin_conninfo(self) -> str:
        url = self.admin_url.set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    def url_for(self, database: str) -> str:
        return self.admin_url.set(database=database).render_as_string(hide_password=False)

    def new_database(self) -> str:
        """A fresh empty database; its SQLAlchemy URL."""
        from tests.pg_cluster import create_database

        return self.url_for(create_database(self.admin_conninfo()))

    def drop(self, url: str) -> None:
        from tests.pg_cluster import drop_database

        drop_database(self.admin_conninfo(), make_url(url).database or "")


# -- fast fixtures: the real core parts, a fake embedder, a SQLite file per test ----------------


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    """A deterministic hashing embedder (texts sharing words are near), fresh per test."""
    return FakeEmbedder()


@pytest.fixture(scope="session")
def tokenizer() -> Tokenizer:
    """The real Korean-aware tokenizer (Kiwi loads once per run)."""
    return shared_tokenizer()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a SQLite file of this test's own (created on first open)."""
    return f"sqlite:///{tmp_path / 'store' / 'sunbae.db'}"


@pytest.fixture
def store(sqlite_url: str) -> Iterator[Store]:
    """A migrated store on a fresh SQLite file."""
    opened = Store(sqlite_url)
    yield opened
    opened.close()


@pytest.fixture
def fast_settings(tmp_path: Path) -> Settings:
    """Settings over a fresh data folder (SQLite file, index) and no model folder."""
    return Settings(_env_file=None, data_dir=tmp_path / "data", model_cache=tmp_path / "no-model")


@pytest.fixture
def fast_core(fast_settings: Settings, fake_embedder: FakeEmbedder,
              tokenizer: Tokenizer) -> Iterator:
    """A whole Sunbae core on a SQLite file with the fake embedder (for facade mechanics)."""
    from knowledge.core import Sunbae

    core = Sunbae.open(fast_settings, embedder=fake_embedder,  # type: ignore[arg-type]
                      tokenizer=tokenizer)
    yield core
    core.close()
