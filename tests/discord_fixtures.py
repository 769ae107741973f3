"""Fixtures of the Discord tests: a real core per test (a copy of one ingest), the bot around it."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import discord.ext.test as dpytest
import pytest
from discord.ext.test.backend import FakeHttp

from bot.discord_app import SunbaeBot
from bot.settings import DiscordSettings
from index.embedder import Embedder
from knowledge.core import Sunbae
from knowledge.settings import Settings
from tests.conftest import model_cache
from tests.discord_fakes import GUILD_SPACE, MAINTAINER_ROLE_ID


@pytest.fixture(scope="session")
def prepared_data(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """A data folder with the sample journal and shipped curated answers (in the shared space
    every server sees), ingested once."""
    folder = tmp_path_factory.mktemp("discord-template") / "data"
    settings = Settings(_env_file=None, data_dir=folder, model_cache=model_cache())
    core = Sunbae.open(settings, embedder=embedder)
    core.load_shipped_sample()
    core.load_shipped_curated()
    core.close()
    return folder


@pytest.fixture
def discord_core(prepared_data: Path, tmp_path: Path, embedder: Embedder) -> Iterator[Sunbae]:
    """A real core over a private copy of the prepared store (copying beats re-embedding);
    the test server's space is its default, so tests read what the server's commands did;
    no upload cooldown (tests upload many times; its own tests set it)."""
    folder = tmp_path / "data"
    shutil.copytree(prepared_data, folder)
    settings = Settings(_env_file=None, data_dir=folder, model_cache=model_cache(),
                        space=GUILD_SPACE, ingest_cooldown_s=0)
    core = Sunbae.open(settings, embedder=embedder)
    yield core
    core.close()


@pytest.fixture
def discord_settings() -> DiscordSettings:
    """Bot settings for tests: a maintainer role id, no cooldown, no command sync."""
    return DiscordSettings(_env_file=None, maintainer_role_ids=[MAINTAINER_ROLE_ID],
                           cooldown_seconds=0,
                           sync_commands=False)


@pytest.fixture
async def sunbae_bot(discord_core: Sunbae, discord_settings: DiscordSettings) -> SunbaeBot:
    """The bot with every extension loaded, not connected (for slash commands and buttons)."""
    bot = SunbaeBot(discord_core, discord_settings)
    await bot.load_extensions()
    return bot


@pytest.fixture
async def dpy_bot(discord_core: Sunbae, discord_settings: DiscordSettings,
                  monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[SunbaeBot]:
    """The bot inside dpytest's fake Discord, with threads faked (dpytest has none)."""
    monkeypatch.setattr(FakeHttp, "start_thread_with_message", _start_thread_with_message,
                        raising=False)
    bot = SunbaeBot(discord_core, discord_settings)
    # dpytest resolves mentions among cached members, which the real bot (no members intent)
    # does not keep; the test server caches them so `<@bot>` becomes a mention.
    bot._connection._intents.members = True
    bot._connection.member_cache_flags = discord.MemberCacheFlags.from_intents(
        bot._connection._intents)
    await bot._async_setup_hook()  # what login() would do: gives the bot its event loop
    await bot.load_extensions()
    dpytest.configure(bot, members=["camper", "other"])
    yield bot
    await dpytest.empty_queue()


async def _start_thread_with_message(self: FakeHttp, channel_id: int, message_id: int, *,
                                     name: str, auto_archive_duration: int,
                                     rate_limit_per_user: int | None = None,
                                     reason: str | None = None) -> dict[str, Any]:
    """Discord's answer to "start a thread on this message", registered in the fake guild."""
    channel = self.state.get_channel(channel_id)
    data = {
        "id": message_id,  # Discord gives a message's thread the message's id
        "type": discord.ChannelType.public_thread.value,
        "guild_id": channel.guild.id,
        "parent_id": channel_id,
        "owner_id": self.state.user.id,
        "name": name,
        "rate_limit_per_user": rate_limit_per_user or 0,
        "message_count": 0,
        "member_count": 1,
        "thread_metadata": {"archived": False, "locked": False,
                            "auto_archive_duration": auto_archive_duration,
                            "archive_timestamp": datetime.now(UTC).isoformat()},
    }
    channel.guild._add_thread(discord.Thread(guild=channel.guild, state=self.state, data=data))
    return data
