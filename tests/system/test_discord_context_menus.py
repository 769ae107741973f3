"""Context menus: "Ask Sunbae" on any message (answered ephemerally) and "Save as curated
answer" on a camper's reply in a thread (maintainers; the thread's first message is the
question), with the core real."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from unittest.mock import create_autospec

import discord
import pytest

from bot.answer_labels import labels_for
from bot.discord_app import SunbaeBot
from bot.exts.context_menus._cog import NOT_A_REPLY, ContextMenusCog
from bot.exts.curate._modals import CuratedAnswerModal
from bot.utils.checks import MAINTAINERS_ONLY
from knowledge.conversation import Conversation
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


FOLLOWUP = "그럼 그건 왜 그렇게 말씀하신 거야?"
THREAD_ID = 7070


def sunbae_thread() -> Any:
    """A spec'd thread Sunbae opened in the fake server."""
    thread = create_autospec(discord.Thread, instance=True, spec_set=True)
    thread.id, thread.name, thread.owner_id = THREAD_ID, "thread", BOT_ID
    return thread


def record_contexts(bot: SunbaeBot, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The `context` of every question the real core answers from now on, in order."""
    seen: list[Any] = []
    ask = bot.core.ask

    def recording(question: str, **options: Any) -> Any:
        seen.append(options.get("context"))
        return ask(question, **options)

    monkeypatch.setattr(bot.core, "ask", recording)
    return seen


async def test_ask_sunbae_in_a_sunbae_thread_uses_the_threads_context(
        sunbae_bot: SunbaeBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """"Ask Sunbae" on a follow-up in Sunbae's thread asks it with the thread's first question
    and cited days, like a follow-up message; it is logged under the thread."""
    place = f"discord:{GUILD_ID}/{THREAD_ID}"
    first = sunbae_bot.core.ask(QUESTION, channel=place, space=GUILD_SPACE)
    contexts = record_contexts(sunbae_bot, monkeypatch)
    interaction = fake_interaction(sunbae_bot, camper(), channel_id=THREAD_ID)
    await cog_of(sunbae_bot).ask_sunbae(interaction, fake_message(FOLLOWUP, sunbae_thread()))
    [context] = contexts
    assert isinstance(context, Conversation)
    assert context.first_question == QUESTION
    assert set(context.cited_section_ids) == {c.section_id for c in first.citations}
    assert any("Day 8" in f.name for f in sent_embeds(interaction.followup.send)[-1].fields)
    found = sunbae_bot.core.conversation(channel=place, space=GUILD_SPACE)
    assert found is not None and found.first_question == QUESTION
    assert sunbae_bot.core.stats(space=GUILD_SPACE).asks == 2


async def test_ask_sunbae_outside_a_thread_asks_the_message_alone(
        sunbae_bot: SunbaeBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a channel (not a thread) the message is asked on its own, with no context."""
    contexts = record_contexts(sunbae_bot, monkeypatch)
    channel = create_autospec(discord.TextChannel, instance=True, spec_set=True)
    interaction = fake_interaction(sunbae_bot, camper())
    await cog_of(sunbae_bot).ask_sunbae(interaction, fake_message(QUESTION, channel))
    assert contexts == [None]


async def test_ask_sunbae_starts_the_question_cooldown(sunbae_bot: SunbaeBot) -> None:
    """An answered "Ask Sunbae" starts the asker's cooldown: a second one within it is refused
    (in the question's language, ephemerally, no answer, no ask), and so is /ask."""
    sunbae_bot.cooldown.seconds = 60
    channel = create_autospec(discord.TextChannel, instance=True, spec_set=True)
    menu = cog_of(sunbae_bot)
    await menu.ask_sunbae(fake_interaction(sunbae_bot, camper(1001)),
                          fake_message(QUESTION, channel))
    assert sunbae_bot.core.stats(space=GUILD_SPACE).asks == 1

    again = fake_interaction(sunbae_bot, camper(1001))
    await menu.ask_sunbae(again, fake_message(QUESTION, channel, message_id=8081))
    again.response.defer.assert_not_awaited()
    refused = again.response.send_message.await_args
    assert "초 뒤에 다시 물어봐" in refused.args[0] and refused.kwargs["ephemeral"] is True
    assert "ask again" not in refused.args[0]
    assert sunbae_bot.core.stats(space=GUILD_SPACE).asks == 1

    slash = fake_interaction(sunbae_bot, camper(1001))
    cog = sunbae_bot.get_cog("AskCog")
    await cog.ask.callback(cog, slash, "What did the master say at the Durundurun event?")
    assert "please ask again in" in slash.response.send_message.await_args.args[0]

    other = fake_interaction(sunbae_bot, camper(1002))  # the wait is per person
    await menu.ask_sunbae(other, fake_message(QUESTION, channel, message_id=8082))
    other.response.defer.assert_awaited()
