"""Slack conversation on the mock server: follow-ups in Sunbae's threads carry the thread, and
thanks or talk to another person are neither answered nor logged (the core real)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack.transport import SlackTransport
from knowledge.conversation import Conversation
from tests.conversation_fixtures import asks_logged, record_contexts
from tests.slack_mock import SPACE, MockSlack, mention, message, push

pytest_plugins = ["tests.slack_fixtures"]

ANSWERED = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"
THREAD = "1700000000.000001"


@pytest.fixture
def contexts(slack: SlackTransport, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The `context` of every question the real core answers, in order."""
    return record_contexts(slack.core.core, monkeypatch)


def logged_asks(slack: SlackTransport) -> int:
    """How many questions the workspace has logged."""
    return asks_logged(slack.core.core, SPACE)


async def test_follow_up_carries_the_threads_question_and_days(
        slack: SlackTransport, slack_api: MockSlack, contexts: list[Any]) -> None:
    """A follow-up in Sunbae's thread is asked with the mention's question and cited days."""
    await push(slack, mention(ANSWERED, ts=THREAD))
    await push(slack, message("그럼 그건 왜 그렇게 말씀하신 거야?", ts="1700000000.000009",
                              thread_ts=THREAD))
    assert len(slack_api.called("chat.postMessage")) == 2
    first, followup = contexts
    assert first is None
    assert isinstance(followup, Conversation)
    assert followup.first_question == ANSWERED
    assert followup.cited_section_ids


async def test_a_follow_up_after_a_restart_still_has_its_thread(
        slack: SlackTransport, slack_api: MockSlack, contexts: list[Any]) -> None:
    """The context is read back from the ask log, not from memory."""
    await push(slack, mention(ANSWERED, ts=THREAD))
    slack.answered_threads.clear()  # what a restart forgets
    await push(slack, message("그건 왜?", ts="1700000000.000009", thread_ts=THREAD))
    assert contexts[-1] is not None and contexts[-1].first_question == ANSWERED


@pytest.mark.parametrize("text", ["고마워요!", "thanks", "감사합니다 ㅎㅎ"])
async def test_thanks_in_the_thread_are_neither_answered_nor_logged(
        slack: SlackTransport, slack_api: MockSlack, text: str) -> None:
    """Thanking in Sunbae's thread gets no answer and no ask."""
    await push(slack, mention(ANSWERED, ts=THREAD))
    before = logged_asks(slack)
    await push(slack, message(text, ts="1700000000.000009", thread_ts=THREAD))
    assert len(slack_api.called("chat.postMessage")) == 1
    assert logged_asks(slack) == before


async def test_thanking_sunbae_by_mention_is_not_a_question(slack: SlackTransport,
                                                            slack_api: MockSlack) -> None:
    """"@Sunbae 고마워요!" is not answered either."""
    await push(slack, mention("고마워요!", ts="1700000000.000005"))
    assert slack_api.called("chat.postMessage") == []
    assert logged_asks(slack) == 0


async def test_talk_to_another_person_in_the_thread_is_left_alone(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """"<@U123> 고마워요!" or any message mentioning someone else in Sunbae's thread."""
    await push(slack, mention(ANSWERED, ts=THREAD))
    before = logged_asks(slack)
    await push(slack, message("<@U123> 그거 어떻게 했어?", ts="1700000000.000009",
                              thread_ts=THREAD))
    assert len(slack_api.called("chat.postMessage")) == 1
    assert logged_asks(slack) == before
