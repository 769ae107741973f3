"""The buttons under a Slack answer: votes stored, more sources, save as curated, 👎 cards."""

from __future__ import annotations

from bot.slack.blocks import MORE_SOURCES, SAVE_CURATED, VOTE_DOWN, VOTE_UP
from bot.slack.modals import PROMOTE
from bot.slack.transport import SlackTransport
from tests.slack_mock import (
    CAMPER,
    MAINTAINER,
    MAINTAINERS_CHANNEL,
    SPACE,
    TEAM,
    MockSlack,
    button_click,
    mention,
    push,
    submission,
)

pytest_plugins = ["tests.slack_fixtures"]

ANSWERED = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"


async def asked(slack: SlackTransport, slack_api: MockSlack) -> int:
    """Ask by mention; the logged ask's id (from the answer's buttons)."""
    await push(slack, mention(ANSWERED))
    blocks = slack_api.called("chat.postMessage")[-1]["blocks"]
    return int(next(b for b in blocks if b["type"] == "actions")["elements"][0]["value"])


async def test_thumbs_up_then_down_is_stored_as_one_vote(slack: SlackTransport,
                                                         slack_api: MockSlack) -> None:
    """👍 is stored; the same person's 👎 replaces it; only the voter is told the counts."""
    ask_id = await asked(slack, slack_api)
    await push(slack, button_click(VOTE_UP, str(ask_id)))
    assert slack.core.core.votes(ask_id, space=SPACE) == (1, 0)
    await push(slack, button_click(VOTE_DOWN, str(ask_id)))
    assert slack.core.core.votes(ask_id, space=SPACE) == (0, 1)
    told = slack_api.called("respond") + slack_api.called("chat.postEphemeral")
    assert told[-1]["text"].endswith("👍 0 · 👎 1")
    assert told[-1].get("user", CAMPER) == CAMPER


async def test_thumbs_down_posts_a_card_for_the_maintainers(slack: SlackTransport,
                                                            slack_api: MockSlack) -> None:
    """A 👎 reaches the maintainers' channel with an "Answer this" button."""
    ask_id = await asked(slack, slack_api)
    await push(slack, button_click(VOTE_DOWN, str(ask_id)))
    assert await slack.cards.flush(TEAM) is True  # cards are batched: sent after a delay
    cards = [p for p in slack_api.called("chat.postMessage")
             if p["channel"] == MAINTAINERS_CHANNEL]
    assert len(cards) == 1
    button = cards[0]["blocks"][-1]["elements"][0]
    assert (button["action_id"], button["value"]) == (SAVE_CURATED, str(ask_id))


async def test_vote_on_a_missing_ask_says_it_is_gone(slack: SlackTransport,
                                                     slack_api: MockSlack) -> None:
    """A button of an ask no longer logged changes nothing and says so."""
    await push(slack, button_click(VOTE_UP, "999999"))
    assert "no longer in the ask log" in slack_api.called("chat.postEphemeral")[0]["text"]


async def test_more_sources_is_shown_to_the_clicker_and_not_logged(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """More citations, ephemeral, and no new ask in the log."""
    ask_id = await asked(slack, slack_api)
    asks = slack.core.core.stats(space=SPACE).asks
    await push(slack, button_click(MORE_SOURCES, str(ask_id)))
    shown = slack_api.called("chat.postEphemeral")[0]
    assert shown["blocks"][0]["text"]["text"] == "*출처 더 보기*"  # a Korean question
    assert len(shown["blocks"]) > 2
    assert slack.core.core.stats(space=SPACE).asks == asks


async def test_save_as_curated_is_refused_to_a_camper(slack: SlackTransport,
                                                      slack_api: MockSlack) -> None:
    """No modal for a non-maintainer."""
    ask_id = await asked(slack, slack_api)
    await push(slack, button_click(SAVE_CURATED, str(ask_id)))
    assert slack_api.called("views.open") == []
    assert "Only maintainers" in slack_api.called("chat.postEphemeral")[0]["text"]


async def test_maintainer_saves_an_answer_as_curated(slack: SlackTransport,
                                                     slack_api: MockSlack) -> None:
    """The modal opens prefilled; submitting it creates a curated answer for the question."""
    ask_id = await asked(slack, slack_api)
    await push(slack, button_click(SAVE_CURATED, str(ask_id), user=MAINTAINER))
    view = slack_api.called("views.open")[0]["view"]
    assert view["callback_id"] == PROMOTE
    assert view["blocks"][0]["element"]["initial_value"] == ANSWERED
    before = len(slack.core.core.list_curated(space=SPACE))
    await push(slack, submission(PROMOTE, {"question": ANSWERED, "answer": "마스터님 말씀 요약."},
                                 {"channel": "CQA", "ask_ids": [ask_id]}, user=MAINTAINER))
    assert len(slack.core.core.list_curated(space=SPACE)) == before + 1
    answer = slack.core.core.ask(ANSWERED, record=False, space=SPACE)
    assert answer.kind == "curated" and answer.text.startswith("마스터님 말씀 요약")


async def test_abstention_posts_a_card_whose_answer_starts_empty(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """An unanswerable mention is said to be unanswered, a card reaches the maintainers, and
    its "Answer this" opens the modal with an empty answer to write."""
    slack.core.core.settings.answer_threshold = 1.01  # makes the abstention certain
    await push(slack, mention("쿠버네티스 파드 오토스케일링은 어떻게 설정해?"))
    assert await slack.cards.flush(TEAM) is True  # cards are batched: sent after a delay
    posts = slack_api.called("chat.postMessage")
    assert "아직 모르겠어요" in posts[0]["blocks"][0]["elements"][0]["text"]
    card = next(p for p in posts if p["channel"] == MAINTAINERS_CHANNEL)
    button = card["blocks"][-1]["elements"][0]
    await push(slack, button_click(button["action_id"], button["value"], user=MAINTAINER))
    answer_field = slack_api.called("views.open")[0]["view"]["blocks"][1]["element"]
    assert "initial_value" not in answer_field
