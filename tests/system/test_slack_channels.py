"""Channel modes on Slack: `/sunbae channel #ch auto|mention|off`, stored per workspace, decide
which messages Sunbae answers (the core real, the Slack Web API mocked)."""

from __future__ import annotations

from bot.slack.channels import SlackModes, channel_id_in
from bot.slack.transport import SlackTransport
from tests.slack_mock import (
    CHANNEL,
    MAINTAINER,
    OTHER_TEAM,
    SPACE,
    TEAM,
    MockSlack,
    command,
    mention,
    message,
    push,
)

pytest_plugins = ["tests.slack_fixtures"]

ANSWERED = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"
FOLLOW_UP = "DataLoader에서 collate_fn은 무슨 역할을 해?"


async def set_mode(slack: SlackTransport, slack_api: MockSlack, text: str) -> None:
    """/sunbae <text>, as the maintainer."""
    await push(slack, command("/sunbae", text, slack_api.response_url(), user=MAINTAINER))


def test_channel_is_read_from_an_escaped_reference_an_id_or_here() -> None:
    """`<#C…|name>`, a bare id and `here` name a channel; `#name` alone does not."""
    assert channel_id_in("<#C0123ABC|qa>", None) == "C0123ABC"
    assert channel_id_in("G0456DEF", None) == "G0456DEF"
    assert channel_id_in("here", "CHERE") == "CHERE"
    assert channel_id_in("#qa", "CHERE") is None


async def test_mode_is_stored_per_workspace(slack: SlackTransport, slack_api: MockSlack) -> None:
    """The mode is stored for the workspace only; a new reader (a restart) sees it."""
    await set_mode(slack, slack_api, f"channel <#{CHANNEL}|qa> auto")
    assert slack.core.core.channel_modes(space=SPACE) == {CHANNEL: "auto"}
    assert slack.core.core.channel_modes(space=f"slack:{OTHER_TEAM}") == {}
    assert await SlackModes(slack.core).stored(TEAM, CHANNEL) == "auto"
    assert f"<#{CHANNEL}>: `auto`" in slack_api.called("respond")[-1]["text"]


async def test_a_camper_cannot_set_a_mode(slack: SlackTransport, slack_api: MockSlack) -> None:
    """A camper is refused and nothing is stored."""
    await push(slack, command("/sunbae", "channel here off", slack_api.response_url()))
    assert "Only maintainers" in slack_api.called("respond")[0]["text"]
    assert slack.core.core.channel_modes(space=SPACE) == {}


async def test_a_wrong_mode_shows_the_usage(slack: SlackTransport, slack_api: MockSlack) -> None:
    """An unknown mode stores nothing and says how to write it."""
    await set_mode(slack, slack_api, "channel here loud")
    assert "/sunbae channel" in slack_api.called("respond")[-1]["text"]
    assert slack.core.core.channel_modes(space=SPACE) == {}


async def test_auto_answers_top_level_questions(slack: SlackTransport,
                                                slack_api: MockSlack) -> None:
    """In an `auto` channel a plain message is answered in its thread, no mention needed."""
    await set_mode(slack, slack_api, "channel here auto")
    await push(slack, message(ANSWERED, ts="1700000000.000009"))
    assert slack_api.called("chat.postMessage")[0]["thread_ts"] == "1700000000.000009"


async def test_mention_mode_answers_only_mentions(slack: SlackTransport,
                                                  slack_api: MockSlack) -> None:
    """In a `mention` channel (even a Q&A channel with answer-all on) a plain message is left
    alone and a mention is answered."""
    slack.settings.answer_all_in_qa_channels = True
    slack.settings.qa_channel_ids = [CHANNEL]
    await set_mode(slack, slack_api, "channel here mention")
    await push(slack, message(ANSWERED, ts="1700000000.000009"))
    assert slack_api.called("chat.postMessage") == []
    await push(slack, mention(ANSWERED, ts="1700000000.000010"))
    assert slack_api.called("chat.postMessage")[0]["thread_ts"] == "1700000000.000010"


async def test_off_answers_nothing_not_even_mentions_or_threads(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """In an `off` channel neither a mention nor a follow-up in Sunbae's thread is answered
    (nor logged)."""
    await push(slack, mention(ANSWERED, ts="1700000000.000001"))
    await set_mode(slack, slack_api, "channel here off")
    asks = slack.core.core.stats(space=SPACE).asks
    await push(slack, mention(ANSWERED, ts="1700000000.000002"))
    await push(slack, message(FOLLOW_UP, ts="1700000000.000009",
                              thread_ts="1700000000.000001"))
    assert len(slack_api.called("chat.postMessage")) == 1  # the answer before `off`
    assert slack.core.core.stats(space=SPACE).asks == asks


async def test_default_brings_back_the_settings(slack: SlackTransport,
                                                slack_api: MockSlack) -> None:
    """`default` removes the stored mode: a Q&A channel with answer-all on answers again."""
    slack.settings.answer_all_in_qa_channels = True
    slack.settings.qa_channel_ids = [CHANNEL]
    await set_mode(slack, slack_api, "channel here off")
    await set_mode(slack, slack_api, "channel here default")
    assert slack.core.core.channel_modes(space=SPACE) == {}
    await push(slack, message(ANSWERED, ts="1700000000.000009"))
    assert slack_api.called("chat.postMessage")[0]["thread_ts"] == "1700000000.000009"


async def test_direct_messages_have_no_mode(slack: SlackTransport, slack_api: MockSlack) -> None:
    """A DM is answered whatever modes the workspace's channels have."""
    slack.core.core.set_channel_mode("DCAMPER", "off", space=SPACE)  # not settable: a DM
    await push(slack, message(ANSWERED, ts="1700000000.000009", channel="DCAMPER",
                              channel_type="im"))
    assert len(slack_api.called("chat.postMessage")) == 1
