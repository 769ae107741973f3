"""Message flows in dpytest's fake Discord: mention → thread answer → follow-up without mention."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import discord
import discord.abc
import discord.ext.test as dpytest
import pytest

from bot.discord_app import SunbaeBot

pytest_plugins = ["tests.discord_fixtures"]

QUESTION = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"


@pytest.fixture
def sent_payloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """The JSON payload of every message the bot sends, as Discord would receive it."""
    payloads: list[dict[str, Any]] = []
    build = discord.abc.handle_message_parameters

    def recording(*args: Any, **kwargs: Any) -> Any:
        params = build(*args, **kwargs)
        payloads.append(params.payload or {})
        return params

    monkeypatch.setattr(discord.abc, "handle_message_parameters", recording)
    yield payloads


def mention(bot: SunbaeBot, text: str) -> str:
    """The message text of a camper mentioning the bot."""
    return f"<@{bot.user.id}> {text}"


def guild_threads() -> list[discord.Thread]:
    """The threads of the fake server."""
    return list(dpytest.get_config().guilds[0].threads)


async def test_mention_is_answered_in_a_new_thread(dpy_bot: SunbaeBot) -> None:
    """A mention opens a thread named after the question, and the answer lands in it."""
    await dpytest.message(mention(dpy_bot, QUESTION))
    [thread] = guild_threads()
    assert thread.name == QUESTION
    answer = dpytest.get_message()
    assert answer.channel.id == thread.id
    assert any(f.name == "Week 2 · Day 8 (11/15)" for f in answer.embeds[-1].fields)


async def test_follow_up_in_the_bots_thread_needs_no_mention(dpy_bot: SunbaeBot) -> None:
    """In a thread Sunbae opened, the next question is answered without mentioning it."""
    await dpytest.message(mention(dpy_bot, QUESTION))
    [thread] = guild_threads()
    await dpytest.empty_queue()
    await dpytest.message("collate_fn은 무슨 역할을 해?", channel=thread)
    answer = dpytest.get_message()
    assert answer.channel.id == thread.id
    assert "큐레이션된 답변" in answer.embeds[0].author.name  # a Korean question: Korean labels


async def test_its_own_answer_in_its_thread_is_not_answered(dpy_bot: SunbaeBot) -> None:
    """Sunbae's answer in its own thread does not trigger another answer (no talking to itself)."""
    await dpytest.message(mention(dpy_bot, QUESTION))
    dpytest.get_message()
    assert dpytest.verify().message().nothing()


async def test_message_without_mention_is_ignored(dpy_bot: SunbaeBot) -> None:
    """Campers talking among themselves in a normal channel are left alone."""
    await dpytest.message(QUESTION)
    assert dpytest.verify().message().nothing()


async def test_bots_are_ignored(dpy_bot: SunbaeBot) -> None:
    """Another bot mentioning Sunbae gets no answer (so two bots never talk in a loop)."""
    config = dpytest.get_config()
    robot = dpytest.backend.make_user("robot", "0099")
    robot.bot = True
    member = dpytest.backend.make_member(robot, config.guilds[0])
    await dpytest.message(mention(dpy_bot, QUESTION), member=member)
    assert dpytest.verify().message().nothing()


async def test_qa_channel_answers_every_question_when_enabled(dpy_bot: SunbaeBot) -> None:
    """With the setting on, a question in a Q&A channel is answered without a mention."""
    channel = dpytest.get_config().channels[0]
    dpy_bot.discord_settings.qa_channel_ids = [channel.id]
    dpy_bot.discord_settings.answer_all_in_qa_channels = True
    await dpytest.message(QUESTION, channel=channel)
    assert dpytest.get_message().channel.id == guild_threads()[0].id


async def test_mention_answer_allows_no_mentions(dpy_bot: SunbaeBot,
                                                 sent_payloads: list[dict[str, Any]]) -> None:
    """Every message of a thread answer is sent with allowed_mentions parsing nothing."""
    dpy_bot.core.add_curated(question="공지는 어디서 봐?", author="tester",
                             answer="@everyone @here <@&123> 공지 채널을 보세요")
    await dpytest.message(mention(dpy_bot, "공지는 어디서 봐?"))
    assert sent_payloads
    assert all(p.get("allowed_mentions") == {"parse": []} for p in sent_payloads)
    assert "@everyone" not in str(sent_payloads) and "<@&123>" not in str(sent_payloads)
