"""Context menus: "Ask Sunbae" on any message (answered ephemerally) and "Save as curated
answer" on a camper's reply in a thread (maintainers; the thread's first message is the
question), with the core real."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from unittest.mock import create_autospec

import discord

from bot.answer_labels import labels_for
from bot.discord_app import SunbaeBot
from bot.exts.context_menus._cog import NOT_A_REPLY, ContextMenusCog
from bot.exts.curate._modals import CuratedAnswerModal
from bot.utils.checks import MAINTAINERS_ONLY
from tests.discord_fakes import (
    GUILD_ID,
    GUILD_SPACE,
    camper,
    fake_interaction,
    fill,
    maintainer,
    sent_embeds,
)

pytest_plugins = ["tests.discord_fixtures"]

QUESTION = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"
BOT_ID = 99
REPLY = "마스터님이 꾸준함이 제일 중요하다고 하셨어요. 매일 조금씩이라도 하라고요."


def cog_of(bot: SunbaeBot) -> ContextMenusCog:
    """The loaded context-menus cog."""
    cog = bot.get_cog("ContextMenusCog")
    assert isinstance(cog, ContextMenusCog)
    return cog


def fake_thread(starter_text: str) -> Any:
    """A spec'd thread of a text channel whose first message is `starter_text`."""
    guild = create_autospec(discord.Guild, instance=True, spec_set=True)
    guild.id = GUILD_ID
    guild.me = create_autospec(discord.Member, instance=True, spec_set=True)
    guild.me.id = BOT_ID
    starter = create_autospec(discord.Message, instance=True, spec_set=True)
    starter.content = starter_text
    parent = create_autospec(discord.TextChannel, instance=True, spec_set=True)
    parent.fetch_message.return_value = starter
    thread = create_autospec(discord.Thread, instance=True, spec_set=True)
    thread.id, thread.name, thread.guild, thread.parent = 7070, "thread", guild, parent
    response = SimpleNamespace(status=404, reason="Not Found")
    thread.fetch_message.side_effect = discord.NotFound(response, "not in the thread")
    return thread


def fake_message(content: str, channel: Any, *, author: Any = None,
                 message_id: int = 8080) -> Any:
    """A spec'd message in `channel`."""
    message = create_autospec(discord.Message, instance=True, spec_set=True)
    message.content, message.channel, message.id = content, channel, message_id
    message.author = author or camper()
    return message


async def test_ask_sunbae_answers_the_message_ephemerally(sunbae_bot: SunbaeBot) -> None:
    """The answer, citing Day 8, is seen only by the person who asked."""
    interaction = fake_interaction(sunbae_bot, camper())
    channel = create_autospec(discord.TextChannel, instance=True, spec_set=True)
    await cog_of(sunbae_bot).ask_sunbae(interaction, fake_message(QUESTION, channel))
    interaction.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    send = interaction.followup.send
    assert all(call.kwargs.get("ephemeral") for call in send.await_args_list)
    assert any("Day 8" in f.name for f in sent_embeds(send)[-1].fields)
    assert sunbae_bot.core.stats(space=GUILD_SPACE).asks == 1


async def test_ask_sunbae_on_an_empty_message_says_so(sunbae_bot: SunbaeBot) -> None:
    """Nothing to search for: a hint (in the clicker's Discord language), no ask."""
    interaction = fake_interaction(sunbae_bot, camper())
    interaction.locale = discord.Locale.korean
    channel = create_autospec(discord.TextChannel, instance=True, spec_set=True)
    await cog_of(sunbae_bot).ask_sunbae(interaction, fake_message("👍👍", channel))
    assert interaction.response.send_message.await_args.args[0] == labels_for("ko").nothing_to_ask
    assert sunbae_bot.core.stats(space=GUILD_SPACE).asks == 0


async def test_a_camper_cannot_save_a_reply_as_curated(sunbae_bot: SunbaeBot) -> None:
    """Maintainers only: a camper is refused and no form opens."""
    interaction = fake_interaction(sunbae_bot, camper())
    reply = fake_message(REPLY, fake_thread(f"<@{BOT_ID}> {QUESTION}"))
    await cog_of(sunbae_bot).save_curated(interaction, reply)
    assert interaction.response.send_message.await_args.args[0] == MAINTAINERS_ONLY
    interaction.response.send_modal.assert_not_awaited()


async def test_only_a_campers_reply_in_a_thread_can_be_saved(sunbae_bot: SunbaeBot) -> None:
    """A message outside a thread is refused with a hint."""
    interaction = fake_interaction(sunbae_bot, maintainer())
    channel = create_autospec(discord.TextChannel, instance=True, spec_set=True)
    await cog_of(sunbae_bot).save_curated(interaction, fake_message(REPLY, channel))
    assert interaction.response.send_message.await_args.args[0] == NOT_A_REPLY


async def test_saving_a_reply_opens_the_curated_form_prefilled(sunbae_bot: SunbaeBot) -> None:
    """The thread's first message is the question, the reply the answer; submitted, the same
    question gets the curated answer."""
    interaction = fake_interaction(sunbae_bot, maintainer())
    reply = fake_message(REPLY, fake_thread(f"<@{BOT_ID}> {QUESTION}"))
    await cog_of(sunbae_bot).save_curated(interaction, reply)
    [modal] = interaction.response.send_modal.await_args.args
    assert isinstance(modal, CuratedAnswerModal)
    assert modal.question.default == QUESTION
    assert modal.answer.default == REPLY
    fill(modal.question, QUESTION)
    fill(modal.answer, REPLY)
    await modal.on_submit(fake_interaction(sunbae_bot, maintainer()))
    answer = sunbae_bot.core.ask(QUESTION, record=False)
    assert answer.kind == "curated" and answer.text == REPLY
