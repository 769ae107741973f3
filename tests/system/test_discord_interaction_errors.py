"""Buttons and forms during a database outage: "try again shortly" (in the question's language
on a camper's button that carries it, else in both), never Discord's "This interaction failed"
(which is what an unanswered interaction shows)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import discord
import pytest

from bot.answer_labels import LABELS
from bot.discord_app import SunbaeBot
from bot.exts.ask._buttons import MoreSourcesButton, VoteButton
from bot.settings import DiscordSettings
from bot.utils.interaction_errors import FAILED
from bot.utils.pagination import PageView
from bot.utils.promote import PromoteModal
from index.embedder import Embedder
from knowledge.core import Sunbae
from knowledge.errors import StoreUnavailable
from knowledge.settings import Settings
from tests.conftest import PgServer, model_cache
from tests.discord_fakes import GUILD_SPACE, camper, fake_interaction, fill, maintainer, sent_texts

pytest_plugins = ["tests.discord_fixtures"]

QUESTION = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"


@pytest.fixture
def pg_core(own_pg_cluster: PgServer, embedder: Embedder, tmp_path: Path) -> Iterator[Sunbae]:
    """A real core on a PostgreSQL server the test may stop."""
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", model_cache=model_cache(),
                        database_url=own_pg_cluster.new_database(), space=GUILD_SPACE)
    core = Sunbae.open(settings, embedder=embedder)
    core.load_shipped_sample()
    yield core
    core.close()


@dataclass
class Outage:
    """A bot over `pg_core`, an ask it logged, and its PostgreSQL server now stopped."""

    bot: SunbaeBot
    asked: int


@pytest.fixture
async def outage(pg_core: Sunbae, own_pg_cluster: PgServer,
                 discord_settings: DiscordSettings) -> AsyncIterator[Outage]:
    """The server stopped after one ask, started again after the test."""
    bot = SunbaeBot(pg_core, discord_settings)
    await bot.load_extensions()
    asked = pg_core.ask(QUESTION, user="discord:1001").ask_id
    assert asked is not None
    own_pg_cluster.cluster.stop()
    try:
        yield Outage(bot, asked)
    finally:
        own_pg_cluster.cluster.start()


def told(interaction: discord.Interaction) -> list[str]:
    """Everything the person was told, first response and follow-ups."""
    return (sent_texts(interaction.response.send_message)  # type: ignore[arg-type]
            + sent_texts(interaction.followup.send))  # type: ignore[arg-type]


async def test_buttons_and_forms_say_try_again_during_an_outage(outage: Outage) -> None:
    """👍, "More sources" and the curated form each answer the outage message, ephemerally."""
    bot, asked = outage.bot, outage.asked
    vote = fake_interaction(bot, camper(7))
    await VoteButton(asked, 1).callback(vote)
    assert told(vote) == [StoreUnavailable.MESSAGE]
    assert vote.response.send_message.await_args.kwargs["ephemeral"] is True

    sources = fake_interaction(bot, camper(7))
    await MoreSourcesButton(asked).callback(sources)
    assert told(sources) == [StoreUnavailable.MESSAGE]

    modal = PromoteModal(ask_ids=[asked], question=QUESTION, answer="", space=GUILD_SPACE)
    fill(modal.answer, "마스터님은 꾸준함을 말씀하셨어요.")
    submit = fake_interaction(bot, maintainer())
    # The path discord.py takes for a submitted form: on_submit, then on_error.
    await modal._scheduled_task(submit, [], {})
    assert told(submit) == [StoreUnavailable.MESSAGE]


async def test_a_campers_button_says_try_again_in_its_questions_language(
        outage: Outage) -> None:
    """👍 under a Korean answer and "More sources" under an English one answer the outage in
    Korean only and English only."""
    vote = fake_interaction(outage.bot, camper(7))
    await VoteButton(outage.asked, 1, "ko").callback(vote)
    assert told(vote) == [LABELS["ko"].unreachable]
    sources = fake_interaction(outage.bot, camper(7))
    await MoreSourcesButton(outage.asked, "en").callback(sources)
    assert told(sources) == [LABELS["en"].unreachable]


async def test_a_failing_view_item_apologises(sunbae_bot: SunbaeBot) -> None:
    """Any other error in a view's item gets the plain apology, not silence."""
    view = PageView([discord.Embed(title="1"), discord.Embed(title="2")], owner_id=1001)
    interaction = fake_interaction(sunbae_bot, camper(1001))
    await view.on_error(interaction, RuntimeError("boom"), view.children[0])
    assert told(interaction) == [FAILED]


async def test_a_slash_command_in_an_outage_says_try_again(sunbae_bot: SunbaeBot) -> None:
    """A command that hit the outage gets the same message from the tree's error handler."""
    command = sunbae_bot.tree.get_command("source")
    assert isinstance(command, discord.app_commands.Command)
    interaction = fake_interaction(sunbae_bot, camper(7))
    interaction.command = command
    error = discord.app_commands.CommandInvokeError(command, StoreUnavailable("refused"))
    await sunbae_bot.on_app_command_error(interaction, error)
    assert told(interaction) == [StoreUnavailable.MESSAGE]
