"""Slack safety: answers ping nobody, and one workspace's notes never answer another's."""

from __future__ import annotations

import json

from bot.slack.mrkdwn import ZERO_WIDTH_SPACE
from bot.slack.transport import SlackTransport
from tests.slack_mock import (
    MAINTAINER,
    OTHER_TEAM,
    SPACE,
    TEAM,
    MockSlack,
    mention,
    push,
    submission,
)

pytest_plugins = ["tests.slack_fixtures"]

LOUD_QUESTION = "슬랙 공지 채널 알림은 어떻게 보내?"
LOUD_ANSWER = "<!channel> <!here> <!everyone> @here @channel <@U999> <#C123> <!subteam^S1> 공지!"


def sent_text(slack_api: MockSlack) -> str:
    """Every text and block Sunbae posted, as one JSON string."""
    return json.dumps(slack_api.called("chat.postMessage")
                      + slack_api.called("chat.postEphemeral"), ensure_ascii=False)


async def test_answer_with_channel_and_here_pings_nobody(slack: SlackTransport,
                                                         slack_api: MockSlack) -> None:
    """A curated answer holding <!channel>, <!here>, @here and <@U…> reaches Slack escaped."""
    slack.core.core.add_curated(question=LOUD_QUESTION, answer=LOUD_ANSWER, author="<!here>",
                                space=SPACE)
    await push(slack, mention(LOUD_QUESTION))
    sent = sent_text(slack_api)
    assert "공지!" in sent  # the answer itself was sent
    for loud in ("<!", "<@", "<#", "@here", "@channel", "@everyone"):
        assert loud not in sent
    assert "&lt;!channel&gt;" in sent and f"@{ZERO_WIDTH_SPACE}here" in sent
    assert all(p["link_names"] is False for p in slack_api.called("chat.postMessage"))


async def test_question_with_a_mass_mention_is_not_echoed_as_one(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """A question quoting <!channel> comes back (in the /ask header or a card) escaped."""
    slack.core.core.settings.answer_threshold = 1.01  # an abstention: a card quotes the question
    await push(slack, mention("<!channel> 쿠버네티스 파드 오토스케일링은 어떻게 설정해?"))
    sent = sent_text(slack_api)
    assert "<!channel>" not in sent and "<!" not in sent


NOTE = ("# Day 1\n\n워크스페이스 T1 전용 노트: 블루그린 배포는 두 환경을 번갈아 쓰며 "
        "라우터를 한 번에 전환한다.\n")
QUESTION = "블루그린 배포는 어떻게 전환해?"


async def test_note_of_one_workspace_is_never_cited_in_another(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """A note ingested in T1 answers in T1 and is never cited for the same question in T2."""
    file = slack_api.file("bluegreen.md", NOTE.encode())
    await push(slack, submission("sunbae_ingest", {"files": [file], "title": "", "text": ""},
                                 {"channel": "CQA"}, user=MAINTAINER, team=TEAM))
    await push(slack, mention(QUESTION, team=TEAM, ts="1700000000.000001"))
    home = json.dumps(slack_api.called("chat.postMessage")[-1]["blocks"], ensure_ascii=False)
    assert "bluegreen.md" in home  # the control: the note answers in its own workspace
    await push(slack, mention(QUESTION, team=OTHER_TEAM, ts="1700000000.000002"))
    away = json.dumps(slack_api.called("chat.postMessage")[-1]["blocks"], ensure_ascii=False)
    assert "bluegreen.md" not in away
