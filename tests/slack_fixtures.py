"""Fixtures of the Slack tests: the mock Slack Web API served, a real core, the app on both."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.settings import SlackSettings
from bot.slack.transport import SlackTransport, web_client
from index.embedder import Embedder
from knowledge.core import Sunbae
from knowledge.settings import Settings
from tests.conftest import model_cache
from tests.slack_mock import BOT_TOKEN, MAINTAINER, MAINTAINERS_CHANNEL, MockSlack

CARDS_NEVER_BY_THEMSELVES = 24 * 3600.0


@pytest.fixture
async def slack_api() -> AsyncIterator[MockSlack]:
    """The mock Slack Web API, on a free port of 127.0.0.1."""
    mock = MockSlack()
    runner = web.AppRunner(mock.routes())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    mock.url = f"http://127.0.0.1:{port}"
    yield mock
    await runner.cleanup()


@pytest.fixture(scope="session")
def slack_prepared_data(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """A data folder with the sample journal and shipped curated answers, ingested once."""
    folder = tmp_path_factory.mktemp("slack-template") / "data"
    settings = Settings(_env_file=None, data_dir=folder, model_cache=model_cache())
    core = Sunbae.open(settings, embedder=embedder)
    core.load_shipped_sample()  # the shared space: every workspace sees it
    core.load_shipped_curated()
    core.close()
    return folder


@pytest.fixture
def slack_core(slack_prepared_data: Path, tmp_path: Path, embedder: Embedder) -> Iterator[Sunbae]:
    """A real core over a private copy of the prepared store (real SQLite, the int8 model)."""
    folder = tmp_path / "data"
    shutil.copytree(slack_prepared_data, folder)
    settings = Settings(_env_file=None, data_dir=folder, model_cache=model_cache(),
                        ingest_cooldown_s=0)
    core = Sunbae.open(settings, embedder=embedder)
    yield core
    core.close()


@pytest.fixture
def slack_settings() -> SlackSettings:
    """App settings for tests: test tokens, one maintainer, a maintainers' channel."""
    return SlackSettings(_env_file=None, bot_token=BOT_TOKEN, app_token="xapp-test-token",
                         maintainer_ids=[MAINTAINER], maintainer_channel_id=MAINTAINERS_CHANNEL,
                         max_file_bytes=10_000)


@pytest.fixture
async def slack(slack_core: Sunbae, slack_settings: SlackSettings,
                slack_api: MockSlack) -> AsyncIterator[SlackTransport]:
    """The Slack transport over the real core, its Web API client pointed at the mock."""
    client = web_client(slack_settings, base_url=f"{slack_api.url}/api/")
    transport = SlackTransport(slack_core, slack_settings, client=client)
    # Cards wait for an explicit flush in tests (`await transport.cards.flush(TEAM)`), never
    # for a clock: a burst stays one batch however slow the machine is.
    transport.cards.batches.delay = CARDS_NEVER_BY_THEMSELVES
    yield transport
    await transport.settled()
    transport.cards.batches.stop()
