"""Conversation in dpytest's fake Discord: follow-ups carry their thread, Replies to Sunbae are
questions, thanks and talk between campers are left alone (the core real)."""

from __future__ import annotations

from typing import Any

import discord
import discord.ext.test as dpytest
import pytest

from bot.discord_app import SunbaeBot
from knowledge.conversation import Conversation
from tests.conversation_fixtures import asks_logged, record_contexts

pytest_plugins = ["tests.discord_fixtures"]

QUESTION = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"
FOLLOWUP = "그럼 그건 왜 그렇게 말씀하신 거야?"


@pytest.fixture
def contexts(dpy_bot: SunbaeBot, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The `context` of every question the real core answers, in order."""
    return record_contexts(dpy_bot.core, monkeypatch)


def guild_threads() -> list[discord.Thread]:
    """The threads of the fake server."""
    return list(dpytest.get_config().guilds[0].threads)


def guild_space() -> str:
    """The space of dpytest's server."""
    return f"discord:{dpytest.get_config().guilds[0].id}"


def logged_asks(bot: SunbaeBot) -> int:
    """How many questions the server's space has logged."""
    return asks_logged(bot.core, guild_space())


async def open_thread(bot: SunbaeBot) -> discord.Thread:
    """A camper mentions Sunbae; the answer lands in a new thread."""
    await dpytest.message(f"<@{bot.user.id}> {QUESTION}")
    [thread] = guild_threads()
    await dpytest.empty_queue()
    return thread


async def test_follow_up_carries_the_threads_first_question_and_days(
        dpy_bot: SunbaeBot, contexts: list[Any]) -> None:
    """A follow-up in Sunbae's thread is asked with the first question and the days cited."""
    thread = await open_thread(dpy_bot)
    await dpytest.message(FOLLOWUP, channel=thread)
    assert dpytest.get_message().channel.id == thread.id
    first, followup = contexts
    assert first is None
    assert isinstance(followup, Conversation)
    assert followup.first_question == QUESTION
    assert followup.cited_section_ids  # the days the first answer cited


async def test_the_first_answer_is_logged_under_its_thread(dpy_bot: SunbaeBot) -> None:
    """The question that opened a thread is logged in the thread (so follow-ups find it)."""
    thread = await open_thread(dpy_bot)
    assert logged_asks(dpy_bot) == 1
    place = f"{guild_space()}/{thread.id}"
    found = dpy_bot.core.conversation(channel=place, space=guild_space())
    assert found is not None and found.first_question == QUESTION


async def test_thanks_in_the_thread_are_neither_answered_nor_logged(dpy_bot: SunbaeBot) -> None:
    """"고마워요!", "thanks" and "감사합니다 ㅎㅎ" in Sunbae's thread get no answer and no ask."""
    thread = await open_thread(dpy_bot)
    before = logged_asks(dpy_bot)
    for text in ("고마워요!", "thanks", "감사합니다 ㅎㅎ"):
        await dpytest.message(text, channel=thread)
    assert dpytest.verify().message().nothing()
    assert logged_asks(dpy_bot) == before


async def test_talk_to_another_camper_is_left_alone(dpy_bot: SunbaeBot) -> None:
    """A message in Sunbae's thread that mentions another camper is not a question."""
    thread = await open_thread(dpy_bot)
    other = dpytest.get_config().members[1]
    before = logged_asks(dpy_bot)
    await dpytest.message(f"<@{other.id}> 그거 어떻게 했어?", channel=thread)
    assert dpytest.verify().message().nothing()
    assert logged_asks(dpy_bot) == before


async def test_a_reply_to_sunbae_is_a_question_with_that_answers_question(
        dpy_bot: SunbaeBot, contexts: list[Any]) -> None:
    """A Discord Reply to a Sunbae answer, outside its threads, is answered with the answered
    question as context."""
    thread = await open_thread(dpy_bot)
    [answer] = [m async for m in thread.history(limit=1)]
    channel = dpytest.get_config().channels[0]
    reply = await dpytest.message(FOLLOWUP, channel=channel)  # plain: ignored
    assert dpytest.verify().message().nothing()
    reply.reference = discord.MessageReference.from_message(answer)
    reply.reference.resolved = answer
    await dpy_bot.get_cog("AskCog").on_message(reply)  # type: ignore[union-attr]
    assert dpytest.get_message().channel.id == channel.id
    assert isinstance(contexts[-1], Conversation)
    assert contexts[-1].first_question == QUESTION
