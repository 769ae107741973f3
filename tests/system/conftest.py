"""System fixtures: the real default model (loaded once) and fresh stores on both backends."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.embedder import Embedder
from index.onnx_embedder import OnnxEmbedder
from knowledge.settings import Settings
from tests.conftest import SAMPLE, PgServer, model_cache


@pytest.fixture(scope="session")
def embedder() -> OnnxEmbedder:
    """What ships: the default model's int8 ONNX export (converted and exported once), loaded
    once per test run."""
    from index.model import ensure_default_model, ensure_onnx, model_dir, onnx_model_dir

    folder = ensure_default_model(model_dir(model_cache()))
    return OnnxEmbedder(ensure_onnx(folder, onnx_model_dir(model_cache())))


@pytest.fixture(scope="session")
def torch_embedder() -> Embedder:
    """The default model on torch fp32 (SUNBAE_EMBEDDER=torch), for comparisons with int8."""
    from index.model import ensure_default_model, model_dir

    return Embedder(ensure_default_model(model_dir(model_cache())))


# Modules whose `settings` stay on SQLite: the slow model-quality run and the Discord
# transport tests (the store under them is the same code the other tests cover on both).
SQLITE_ONLY_MODULES = ("test_quality", "test_discord_")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses `database` (through `settings`) on SQLite and PostgreSQL."""
    if "database" not in metafunc.fixturenames:
        return
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    backends = ["sqlite"] if module.startswith(SQLITE_ONLY_MODULES) else ["sqlite", "postgresql"]
    metafunc.parametrize("database", backends, indirect=True)


def _start_cluster() -> Iterator[PgServer]:
    from tests.pg_cluster import PgCluster, find_pg_bin

    bin_dir = find_pg_bin()
    if bin_dir is None:
        message = (
            "no PostgreSQL server binaries (initdb, pg_ctl) found: install Debian's "
            "`postgresql` (make test does) or set SUNBAE_TEST_POSTGRES_URL"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    cluster = PgCluster(bin_dir)
    try:
        cluster.init()
        cluster.start()
        yield PgServer(cluster.sqlalchemy_url("postgres"), cluster)
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """SUNBAE_TEST_POSTGRES_URL's server, else a throwaway cluster for this test session."""
    external = os.environ.get("SUNBAE_TEST_POSTGRES_URL")
    if external:
        yield PgServer(external)
        return
    yield from _start_cluster()


@pytest.fixture
def own_pg_cluster() -> Iterator[PgServer]:
    """A PostgreSQL cluster of one test's own, which the test may stop and start."""
    yield from _start_cluster()


@pytest.fixture
def database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """The database URL of one test: None (a SQLite file in the data folder) or a fresh
    PostgreSQL database, dropped after the test."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield None
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.new_database()
    yield url
    server.drop(url)


@pytest.fixture
def settings(tmp_path: Path, database: str | None) -> Settings:
    """Settings pointing at a fresh data folder (index, SQLite file) and database."""
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        model_cache=model_cache(),
        database_url=database,
    )


@pytest.fixture
def core(settings: Settings, embedder: OnnxEmbedder) -> Iterator:
    """A Sunbae core over an empty store."""
    from knowledge.core import Sunbae

    sunbae = Sunbae.open(settings, embedder=embedder)
    yield sunbae
    sunbae.close()


@pytest.fixture
def sample_core(core):  # type: ignore[no-untyped-def]
    """A core with the sample journal (week 2) and the shipped curated answers ingested."""
    core.ingest_paths([SAMPLE])
    core.load_shipped_curated()
    return core
