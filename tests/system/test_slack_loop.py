"""The maintainers' loop on Slack: 👎 reasons, the maintainers' channel per workspace, batched
cards whose answers then say "Sent", and "Answer this" for a whole group (the core real)."""

from __future__ import annotations

import json
from typing import Any

from bot.answer_labels import LABELS
from bot.slack.blocks import SAVE_CURATED, VOTE_DOWN, VOTE_UP
from bot.slack.modals import PROMOTE
from bot.slack.reasons import NO_DOWN_VOTE, NOTED, REASON_MODAL, WHY
from bot.slack.transport import SlackTransport
from tests.slack_mock import (
    CAMPER,
    CHANNEL,
    MAINTAINER,
    MAINTAINERS_CHANNEL,
    OTHER_TEAM,
    SPACE,
    TEAM,
    MockSlack,
    button_click,
    command,
    mention,
    push,
    submission,
)

pytest_plugins = ["tests.slack_fixtures"]

ANSWERED = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"
ALIKE = ["쿠버네티스 파드 오토스케일링은 어떻게 설정해?",
         "쿠버네티스에서 파드 오토스케일링 설정하는 방법 알려줘"]
STORED_CHANNEL = "CSTORED"
KOREAN = LABELS["ko"]  # the questions here are Korean: their replies speak only Korean


def ask_id_of(post: dict[str, Any]) -> int:
    """The ask id on an answer message's buttons."""
    actions = next(b for b in post["blocks"] if b["type"] == "actions")
    return int(actions["elements"][0]["value"])


def footer_of(blocks: list[dict[str, Any]]) -> str:
    """The text of a message's last context block."""
    return [b for b in blocks if b["type"] == "context"][-1]["elements"][0]["text"]


def posted_to(slack_api: MockSlack, channel: str) -> list[dict[str, Any]]:
    """Every message posted to a channel."""
    return [p for p in slack_api.called("chat.postMessage") if p["channel"] == channel]


async def asked(slack: SlackTransport, slack_api: MockSlack, question: str = ANSWERED, *,
                ts: str = "1700000000.000001") -> int:
    """Ask by mention; the logged ask's id."""
    await push(slack, mention(question, ts=ts))
    return ask_id_of(slack_api.called("chat.postMessage")[-1])


async def voted_down(slack: SlackTransport, slack_api: MockSlack) -> int:
    """An answered ask the camper voted 👎."""
    ask_id = await asked(slack, slack_api)
    await push(slack, button_click(VOTE_DOWN, str(ask_id)))
    return ask_id


# -- 👎 reasons --------------------------------------------------------------------------------

async def test_thumbs_down_offers_the_reasons_to_the_voter_only(slack: SlackTransport,
                                                                slack_api: MockSlack) -> None:
    """After 👎 the thanks come with four reason buttons, ephemeral, to the voter."""
    ask_id = await voted_down(slack, slack_api)
    said = slack_api.called("chat.postEphemeral")[-1]
    assert said["user"] == CAMPER
    buttons = next(b for b in said["blocks"] if b["type"] == "actions")["elements"]
    assert [b["action_id"] for b in buttons] == [f"{WHY}{r}" for r in
                                                 ("wrong_day", "outdated", "did_not_answer",
                                                  "other")]
    assert {b["value"] for b in buttons} == {str(ask_id)}


async def test_thumbs_up_asks_no_reason(slack: SlackTransport, slack_api: MockSlack) -> None:
    """A 👍 is thanked without reason buttons."""
    ask_id = await asked(slack, slack_api)
    await push(slack, button_click(VOTE_UP, str(ask_id)))
    assert "blocks" not in slack_api.called("chat.postEphemeral")[-1]


async def test_one_tap_stores_the_reason_with_the_vote(slack: SlackTransport,
                                                       slack_api: MockSlack) -> None:
    """Tapping "wrong day" after 👎 keeps it with that vote; stats count it; the voter is
    thanked."""
    ask_id = await voted_down(slack, slack_api)
    await push(slack, button_click(f"{WHY}wrong_day", str(ask_id)))
    assert slack.core.core.ask_stats(days=1, space=SPACE).down_reasons == {"wrong_day": 1}
    assert slack_api.called("chat.postEphemeral")[-1]["text"] == NOTED


async def test_other_asks_for_a_line_and_keeps_it(slack: SlackTransport,
                                                  slack_api: MockSlack) -> None:
    """"Other" opens a one-line modal; what is written is kept and shown in stats."""
    ask_id = await voted_down(slack, slack_api)
    await push(slack, button_click(f"{WHY}other", str(ask_id)))
    view = slack_api.called("views.open")[-1]["view"]
    assert view["callback_id"] == REASON_MODAL
    assert view["blocks"][0]["element"]["multiline"] is False
    line = "week 1 을 인용했는데 답은 week 2 에 있어요"
    await push(slack, submission(REASON_MODAL, {"reason": line},
                                 {"ask_id": ask_id, "team": TEAM, "channel": CHANNEL}))
    stats = slack.core.core.ask_stats(days=1, space=SPACE)
    assert (stats.down_reasons, stats.other_reasons) == ({"other": 1}, [line])


async def test_a_reason_without_a_thumbs_down_is_refused(slack: SlackTransport,
                                                         slack_api: MockSlack) -> None:
    """A reason from someone who did not vote 👎 is not stored, and they are told."""
    ask_id = await asked(slack, slack_api)
    await push(slack, button_click(f"{WHY}outdated", str(ask_id)))
    assert slack_api.called("chat.postEphemeral")[-1]["text"] == NO_DOWN_VOTE
    assert slack.core.core.ask_stats(days=1, space=SPACE).down_reasons == {}


async def test_a_reason_form_from_another_workspace_keeps_nothing(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """The "other" form is saved only in the workspace it was opened in."""
    ask_id = await voted_down(slack, slack_api)
    await push(slack, submission(REASON_MODAL, {"reason": "elsewhere"},
                                 {"ask_id": ask_id, "team": TEAM, "channel": CHANNEL},
                                 team=OTHER_TEAM))
    stats = slack.core.core.ask_stats(days=1, space=SPACE)
    assert (stats.down_reasons, stats.other_reasons) == ({"not_given": 1}, [])


# -- the maintainers' channel ------------------------------------------------------------------

async def test_maintainers_channel_is_stored_per_workspace(slack: SlackTransport,
                                                           slack_api: MockSlack) -> None:
    """/curate maintainers-channel stores the channel for the workspace; `off` clears it."""
    url = slack_api.response_url
    await push(slack, command("/curate", f"maintainers-channel <#{STORED_CHANNEL}|maint>",
                              url(), user=MAINTAINER))
    assert slack.core.core.maintainers_channel(space=SPACE) == STORED_CHANNEL
    assert slack.core.core.maintainers_channel(space=f"slack:{OTHER_TEAM}") is None
    await push(slack, command("/curate", "maintainers-channel here", url(), user=MAINTAINER))
    assert slack.core.core.maintainers_channel(space=SPACE) == CHANNEL
    await push(slack, command("/curate", "maintainers-channel", url(), user=MAINTAINER))
    assert f"<#{CHANNEL}>" in slack_api.called("respond")[-1]["text"]
    await push(slack, command("/curate", "maintainers-channel off", url(), user=MAINTAINER))
    assert slack.core.core.maintainers_channel(space=SPACE) is None


async def test_shared_is_stored_per_workspace(slack: SlackTransport,
                                              slack_api: MockSlack) -> None:
    """/curate shared off: this workspace no longer gets the shipped curated answers, another
    still does; a camper cannot change it; `default` turns it back."""
    url, core = slack_api.response_url, slack.core.core
    await push(slack, command("/curate", "shared off", url(), user=MAINTAINER))
    assert "does not see" in slack_api.called("respond")[-1]["text"]
    assert not core.sees_shared(space=SPACE)
    assert core.sees_shared(space=f"slack:{OTHER_TEAM}")
    await push(slack, command("/curate", "shared on", url(), user=CAMPER))
    assert not core.sees_shared(space=SPACE)
    await push(slack, command("/curate", "shared default", url(), user=MAINTAINER))
    assert core.sees_shared(space=SPACE)


async def test_a_camper_cannot_set_the_channel(slack: SlackTransport,
                                               slack_api: MockSlack) -> None:
    """A camper is refused and nothing is stored."""
    await push(slack, command("/curate", f"maintainers-channel <#{STORED_CHANNEL}|m>",
                              slack_api.response_url()))
    assert "Only maintainers" in slack_api.called("respond")[0]["text"]
    assert slack.core.core.maintainers_channel(space=SPACE) is None


async def test_a_burst_is_one_card_message_and_the_answers_then_say_sent(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """Two abstentions and a 👎 go out as one message to the stored channel (not the
    default), three cards with a jump link and an "Answer this" each; the abstentions'
    footers say "Logged" until then, "Sent" after."""
    slack.core.core.set_maintainers_channel(STORED_CHANNEL, space=SPACE)
    slack.core.core.settings.answer_threshold = 1.01
    for number, question in enumerate(ALIKE, start=1):
        await asked(slack, slack_api, question, ts=f"1700000000.00000{number}")
        assert KOREAN.logged_for_maintainers in footer_of(
            slack_api.called("chat.postMessage")[-1]["blocks"])
    slack.core.core.settings.answer_threshold = 0.0
    await voted_down(slack, slack_api)
    assert posted_to(slack_api, STORED_CHANNEL) == []  # batched: nothing went out yet

    assert await slack.cards.flush(TEAM) is True
    [card] = posted_to(slack_api, STORED_CHANNEL)
    assert posted_to(slack_api, MAINTAINERS_CHANNEL) == []
    lines = [b["text"]["text"] for b in card["blocks"] if b["type"] == "section"][1:]
    assert len(lines) == 3 and "🤔" in lines[0] and "👎" in lines[2]
    assert "|jump>" in lines[0] and "https://test.slack.com/archives/" in lines[0]
    buttons = card["blocks"][-1]["elements"]
    assert [b["text"]["text"] for b in buttons] == [f"📝 Answer this ({n})" for n in (1, 2, 3)]
    assert {b["action_id"] for b in buttons} == {SAVE_CURATED}
    updates = slack_api.called("chat.update")
    assert len(updates) == 2
    assert all(KOREAN.sent_to_maintainers in footer_of(u["blocks"]) for u in updates)


async def test_no_channel_no_card_and_the_footer_stays_logged(slack: SlackTransport,
                                                              slack_api: MockSlack) -> None:
    """Without a stored channel or a default nothing is posted and no answer is edited."""
    slack.settings.maintainer_channel_id = None
    slack.core.core.settings.answer_threshold = 1.01
    await asked(slack, slack_api, ALIKE[0])
    assert await slack.cards.flush(TEAM) is False
    assert len(slack_api.called("chat.postMessage")) == 1  # the answer alone
    assert slack_api.called("chat.update") == []


async def test_an_ask_sunbae_cannot_post_still_reaches_the_maintainers(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """/ask in a channel Sunbae is not in: the asker alone gets the abstention, and it is
    still one card (with no jump link) in the maintainers' channel."""
    slack.core.core.settings.answer_threshold = 1.01
    slack_api.fail_next("chat.postMessage", status=200, error="not_in_channel")
    await push(slack, command("/ask", ALIKE[0], slack_api.response_url()))
    [told] = slack_api.called("respond")
    assert told["response_type"] == "ephemeral"
    assert KOREAN.logged_for_maintainers in footer_of(told["blocks"])
    assert posted_to(slack_api, CHANNEL) == []

    assert await slack.cards.flush(TEAM) is True
    [card] = posted_to(slack_api, MAINTAINERS_CHANNEL)
    [line] = [b["text"]["text"] for b in card["blocks"] if b["type"] == "section"][1:]
    assert "🤔" in line and "오토스케일링" in line and "jump" not in line
    assert slack_api.called("chat.update") == []  # nothing in the channel to edit


async def test_answer_this_answers_the_whole_group(slack: SlackTransport,
                                                   slack_api: MockSlack) -> None:
    """"Answer this" on one of two alike abstentions opens the form for both; saving it
    takes both off the unanswered list."""
    slack.core.core.settings.answer_threshold = 1.01
    first = await asked(slack, slack_api, ALIKE[0], ts="1700000000.000001")
    second = await asked(slack, slack_api, ALIKE[1], ts="1700000000.000002")
    await push(slack, button_click(SAVE_CURATED, str(second), user=MAINTAINER))
    view = slack_api.called("views.open")[-1]["view"]
    meta = json.loads(view["private_metadata"])
    assert meta["ask_ids"] == [second, first] and meta["team"] == TEAM
    written = {"question": ALIKE[1], "answer": "HPA(Horizontal Pod Autoscaler)를 설정하세요."}
    await push(slack, submission(PROMOTE, written, meta, user=MAINTAINER))
    assert slack.core.core.unanswered(space=SPACE) == []


async def test_a_promote_form_from_another_workspace_saves_nothing(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """A form opened for one workspace cannot save into another."""
    ask_id = await asked(slack, slack_api)
    before = len(slack.core.core.list_curated(space=f"slack:{OTHER_TEAM}"))
    await push(slack, submission(PROMOTE, {"question": ANSWERED, "answer": "다른 곳."},
                                 {"channel": CHANNEL, "ask_ids": [ask_id], "team": TEAM},
                                 user=MAINTAINER, team=OTHER_TEAM))
    assert len(slack.core.core.list_curated(space=f"slack:{OTHER_TEAM}")) == before
    assert "Only maintainers" in posted_to(slack_api, MAINTAINER)[-1]["text"]


async def test_the_promote_form_shows_and_saves_the_cited_days(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """"Save as curated" prefills the days the answer cited; saved as left, they are the
    curated answer's cites; a day no note holds is refused and nothing is saved."""
    ask_id = await asked(slack, slack_api)
    await push(slack, button_click(SAVE_CURATED, str(ask_id), user=MAINTAINER))
    view = slack_api.called("views.open")[-1]["view"]
    shown = next(b for b in view["blocks"] if b["block_id"] == "cites")
    cites = shown["element"]["initial_value"].splitlines()
    assert cites == slack.core.core.ask_cites(ask_id, space=SPACE) and cites
    meta = json.loads(view["private_metadata"])
    before = len(slack.core.core.list_curated(space=SPACE))
    await push(slack, submission(PROMOTE, {"question": ANSWERED, "answer": "요약.",
                                           "cites": "nowhere.md · Day 99"},
                                 meta, user=MAINTAINER))
    assert len(slack.core.core.list_curated(space=SPACE)) == before
    assert "no such day" in slack_api.called("chat.postEphemeral")[-1]["text"]
    await push(slack, submission(PROMOTE, {"question": ANSWERED, "answer": "요약.",
                                           "cites": "\n".join(cites)}, meta, user=MAINTAINER))
    [saved] = [v for v in slack.core.core.list_curated(space=SPACE) if v.answer == "요약."]
    assert list(saved.cites) == cites
