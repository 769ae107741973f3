"""Slack questions: a mention answered in its thread citing the day, follow-ups, DMs, /ask."""

from __future__ import annotations

import json

from bot.slack.blocks import MORE_SOURCES, SAVE_CURATED, VOTE_DOWN, VOTE_UP
from bot.slack.transport import SlackTransport
from tests.slack_mock import CHANNEL, SPACE, MockSlack, command, mention, message, push

pytest_plugins = ["tests.slack_fixtures"]

ANSWERED = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"
DAY_8 = "*Week 2 · Day 8 (11/15)*"


def texts_of(blocks: list[dict]) -> list[str]:
    """Every mrkdwn text in a message's blocks."""
    found = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"]["text"])
        found += [e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return found


async def test_mention_is_answered_in_its_thread_citing_the_day(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """The answer goes to the mention's thread, with a context block citing Day 8."""
    await push(slack, mention(ANSWERED, ts="1700000000.000001"))
    posts = slack_api.called("chat.postMessage")
    assert len(posts) == 1
    assert posts[0]["thread_ts"] == "1700000000.000001"
    assert posts[0]["channel"] == CHANNEL
    citations = [t for t in texts_of(posts[0]["blocks"]) if t.startswith(DAY_8)]
    assert citations and "\n&gt; " in citations[0]


async def test_mention_is_acknowledged_before_the_answer(slack: SlackTransport,
                                                         slack_api: MockSlack) -> None:
    """Slack gets its ack (status 200) and a 👀 reaction marks the question."""
    response = await push(slack, mention(ANSWERED))
    assert response.status == 200
    assert slack_api.called("reactions.add")[0]["name"] == "eyes"


async def test_answer_carries_buttons_with_the_ask_id(slack: SlackTransport,
                                                      slack_api: MockSlack) -> None:
    """👍 / 👎 / More sources / Save as curated, each valued with the logged ask's id."""
    await push(slack, mention(ANSWERED))
    blocks = slack_api.called("chat.postMessage")[0]["blocks"]
    actions = next(b for b in blocks if b["type"] == "actions")["elements"]
    assert [a["action_id"] for a in actions] == [VOTE_UP, VOTE_DOWN, MORE_SOURCES, SAVE_CURATED]
    ask_id = int(actions[0]["value"])
    assert {a["value"] for a in actions} == {str(ask_id)}
    assert slack.core.core.get_ask(ask_id, space=SPACE).question == ANSWERED


async def test_follow_up_in_sunbaes_thread_needs_no_mention(slack: SlackTransport,
                                                            slack_api: MockSlack) -> None:
    """A plain message in a thread Sunbae answered in is a question too."""
    await push(slack, mention(ANSWERED, ts="1700000000.000001"))
    await push(slack, message("DataLoader에서 collate_fn은 무슨 역할을 해?",
                              ts="1700000000.000009", thread_ts="1700000000.000001"))
    posts = slack_api.called("chat.postMessage")
    assert len(posts) == 2
    assert posts[1]["thread_ts"] == "1700000000.000001"


async def test_follow_up_after_a_restart_finds_the_thread_through_slack(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """A thread answered before a restart is recognised from conversations.replies."""
    await push(slack, mention(ANSWERED, ts="1700000000.000001"))
    slack.answered_threads.clear()  # what a restart forgets
    await push(slack, message("DataLoader에서 collate_fn은 무슨 역할을 해?",
                              ts="1700000000.000009", thread_ts="1700000000.000001"))
    assert slack_api.called("conversations.replies")[0]["ts"] == "1700000000.000001"
    assert len(slack_api.called("chat.postMessage")) == 2


async def test_message_in_someone_elses_thread_is_left_alone(slack: SlackTransport,
                                                             slack_api: MockSlack) -> None:
    """A thread Sunbae has not spoken in is a conversation between people."""
    await push(slack, message(ANSWERED, ts="1700000000.000009", thread_ts="1600000000.000001"))
    assert slack_api.called("chat.postMessage") == []


async def test_plain_channel_message_is_left_alone(slack: SlackTransport,
                                                   slack_api: MockSlack) -> None:
    """Without a mention (and Q&A channels not answering all), a message is not a question."""
    await push(slack, message(ANSWERED, ts="1700000000.000009"))
    assert slack_api.called("chat.postMessage") == []


async def test_qa_channel_answers_every_message_when_enabled(slack: SlackTransport,
                                                             slack_api: MockSlack) -> None:
    """With answer-all on, a plain message in a Q&A channel is answered in its thread."""
    slack.settings.answer_all_in_qa_channels = True
    slack.settings.qa_channel_ids = [CHANNEL]
    await push(slack, message(ANSWERED, ts="1700000000.000009"))
    assert slack_api.called("chat.postMessage")[0]["thread_ts"] == "1700000000.000009"


async def test_mention_by_another_bot_is_ignored(slack: SlackTransport,
                                                 slack_api: MockSlack) -> None:
    """Bots are never answered."""
    body = mention(ANSWERED)
    body["event"]["bot_id"] = "BOTHER"
    await push(slack, body)
    assert slack_api.called("chat.postMessage") == []


async def test_direct_message_is_answered(slack: SlackTransport, slack_api: MockSlack) -> None:
    """In a DM no mention is needed."""
    await push(slack, message(ANSWERED, ts="1700000000.000009", channel="DCAMPER",
                              channel_type="im"))
    posts = slack_api.called("chat.postMessage")
    assert len(posts) == 1 and posts[0]["channel"] == "DCAMPER"


async def test_direct_message_with_a_mention_is_answered_once(slack: SlackTransport,
                                                              slack_api: MockSlack) -> None:
    """Slack sends no app_mention in DMs, so a DM naming Sunbae is answered as a message."""
    await push(slack, message(f"<@UBOT> {ANSWERED}", ts="1700000000.000009",
                              channel="DCAMPER", channel_type="im"))
    assert len(slack_api.called("chat.postMessage")) == 1


async def test_ask_command_acks_then_answers_in_the_channel(slack: SlackTransport,
                                                            slack_api: MockSlack) -> None:
    """/ask is acknowledged at once; the answer, with the question on top, follows."""
    response = await push(slack, command("/ask", ANSWERED, slack_api.response_url()))
    assert response.status == 200
    post = slack_api.called("chat.postMessage")[0]
    assert post["channel"] == CHANNEL and post.get("thread_ts") is None
    head = texts_of(post["blocks"])[0]
    assert head.startswith("*두런두런 행사에서")
    assert any(t.startswith(DAY_8) for t in texts_of(post["blocks"]))


async def test_empty_mention_gets_a_hint(slack: SlackTransport, slack_api: MockSlack) -> None:
    """A bare mention is told how to ask, and nothing is logged."""
    asks = slack.core.core.stats(space=SPACE).asks
    await push(slack, mention("  🙂 "))
    assert "/ask" in slack_api.called("chat.postMessage")[0]["text"]
    assert slack.core.core.stats(space=SPACE).asks == asks


async def test_rate_limited_post_is_retried_after_retry_after(slack: SlackTransport,
                                                              slack_api: MockSlack) -> None:
    """A 429 with Retry-After on chat.postMessage is retried, and the answer arrives."""
    slack_api.fail_next("chat.postMessage", status=429, retry_after=0)
    await push(slack, mention(ANSWERED))
    methods = [call.method for call in slack_api.calls]
    assert "chat.postMessage!429" in methods
    assert methods.index("chat.postMessage!429") < methods.index("chat.postMessage")
    assert len(slack_api.called("chat.postMessage")) == 1


async def test_api_calls_carry_the_bot_token(slack: SlackTransport, slack_api: MockSlack) -> None:
    """Every Web API call is authorized with the bot token."""
    await push(slack, mention(ANSWERED))
    assert {c.authorization for c in slack_api.calls} == {"Bearer xoxb-test-token"}
    assert json.dumps(slack_api.called("chat.postMessage")).count("xoxb") == 0
