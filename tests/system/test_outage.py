"""PostgreSQL stopped and started under a running core: a clear reply, then recovery."""

from __future__ import annotations

import io

import pytest

from bot.chat import handle_line
from bot.cli.main import main
from index.embedder import Embedder
from knowledge.core import Sunbae
from knowledge.errors import StoreUnavailable
from knowledge.settings import Settings, get_settings
from tests.conftest import SAMPLE, PgServer, model_cache

QUESTION = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"


def test_questions_get_try_again_while_postgres_is_down_and_answers_after(
    own_pg_cluster: PgServer, embedder: Embedder, tmp_path
) -> None:
    cluster = own_pg_cluster.cluster
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", model_cache=model_cache(),
                        database_url=own_pg_cluster.new_database())
    core = Sunbae.open(settings, embedder=embedder)
    try:
        core.ingest_paths([SAMPLE])
        before = core.ask(QUESTION)
        assert before.kind == "passage"

        cluster.stop()
        with pytest.raises(StoreUnavailable) as raised:
            core.ask(QUESTION)
        assert "try again shortly" in str(raised.value)
        assert "잠시 후 다시 시도해 주세요" in str(raised.value)
        out = io.StringIO()
        assert handle_line(core, QUESTION, out) is True  # the channel stays open
        assert out.getvalue().strip() == StoreUnavailable.MESSAGE
        with pytest.raises(StoreUnavailable):
            core.ingest_paths([SAMPLE])

        cluster.start()
        after = core.ask(QUESTION)
        assert after.kind == before.kind
        assert after.text == before.text
        assert [c.label for c in after.citations] == [c.label for c in before.citations]
        assert after.ask_id is not None and after.ask_id != before.ask_id
    finally:
        core.close()


def test_the_cli_says_try_again_when_postgres_is_down(
    own_pg_cluster: PgServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    tmp_path,
) -> None:
    url = own_pg_cluster.new_database()
    own_pg_cluster.cluster.stop()
    monkeypatch.setenv("SUNBAE_DATABASE_URL", url)
    monkeypatch.setenv("SUNBAE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        assert main(["ask", QUESTION]) == 3
    finally:
        get_settings.cache_clear()
    assert capsys.readouterr().err.strip() == f"error: {StoreUnavailable.MESSAGE}"
