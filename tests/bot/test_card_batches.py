"""The transport-free card batching, and the Slack card blocks built on it (no clock: every
batch is flushed explicitly)."""

from __future__ import annotations

import json

import pytest

from bot.answer_labels import LABELS
from bot.slack.blocks import SAVE_CURATED, answer_blocks
from bot.slack.cards import SENT_NOTE, cards_blocks, sent_blocks, sent_note
from bot.utils.card_batches import Card, CardBatches
from knowledge.views import Answer

NEVER = 24 * 3600.0


class Channel:
    """A maintainers' channel that records what it was handed (or refuses everything)."""

    def __init__(self, *, reachable: bool = True) -> None:
        self.reachable = reachable
        self.batches: list[tuple[str, list[Card]]] = []

    async def deliver(self, space: str, cards: list[Card]) -> bool:
        self.batches.append((space, cards))
        return self.reachable


async def test_a_burst_is_delivered_once_per_space() -> None:
    """Cards queued for two spaces go out as one batch each, in order."""
    channel = Channel()
    batches = CardBatches(channel.deliver, NEVER)
    batches.post("a", Card(1, "q1"))
    batches.post("b", Card(2, "q2"))
    batches.post("a", Card(3, "q3", down_vote=True))
    assert await batches.flush("a") is True
    assert await batches.flush("b") is True
    assert [(s, [c.ask_id for c in cards]) for s, cards in channel.batches] == [
        ("a", [1, 3]), ("b", [2])]
    assert await batches.flush("a") is False  # nothing left
    batches.stop()


async def test_on_posted_runs_only_when_the_cards_arrived() -> None:
    """The 'sent' callback runs after a delivery, never after a failed one."""
    ran: list[int] = []

    async def mark() -> None:
        ran.append(1)

    failing = CardBatches(Channel(reachable=False).deliver, NEVER)
    failing.post("a", Card(1, "q"), mark)
    assert await failing.flush("a") is False and ran == []
    working = CardBatches(Channel().deliver, NEVER)
    working.post("a", Card(1, "q"), mark)
    await working.flush_all()
    assert ran == [1]


async def test_flush_cancels_the_spaces_timer() -> None:
    """After an explicit flush no timer is left to post again."""
    batches = CardBatches(Channel().deliver, NEVER)
    batches.post("a", Card(1, "q"))
    timer = batches._timers["a"]
    await batches.flush("a")
    assert "a" not in batches._timers and timer.cancelling()


def test_slack_cards_one_line_and_one_button_per_ask() -> None:
    """A card a section with its mark and jump link; an ask twice is one button."""
    cards = [Card(7, "*bold* <question>", jump_url="https://x.slack.com/archives/C/p1"),
             Card(8, "second", down_vote=True), Card(7, "again")]
    blocks = cards_blocks(cards)
    lines = [b["text"]["text"] for b in blocks if b["type"] == "section"][1:]
    assert len(lines) == 3 and lines[0].startswith("*1.* 🤔") and "👎" in lines[1]
    assert "<https://x.slack.com/archives/C/p1|jump>" in lines[0]
    assert "<question>" not in lines[0]  # escaped: not a Slack link
    buttons = blocks[-1]["elements"]
    assert [(b["action_id"], b["value"]) for b in buttons] == [(SAVE_CURATED, "7"),
                                                               (SAVE_CURATED, "8")]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_sent_blocks_change_only_the_footer(language: str) -> None:
    """An abstention's footer says 'Sent' in the question's language with its ask number;
    nothing else changes."""
    abstained = Answer(question="q?", text="모르겠어요", kind="abstain", confidence=0.1,
                       language=language, ask_id=9)
    words = LABELS[language]
    blocks = answer_blocks(abstained)
    sent = sent_blocks(blocks)
    footer = sent[-1]["elements"][0]["text"]
    assert footer == f"{words.sent_to_maintainers} · ask #9"
    assert json.dumps(sent[:-1]) == json.dumps(blocks[:-1])
    assert words.logged_for_maintainers in blocks[-1]["elements"][0]["text"]  # not mutated


def test_sent_note_of_an_unknown_footer_says_both() -> None:
    """A footer in neither language's words (an older message) gets the bilingual note."""
    assert sent_note("logged somewhere") == SENT_NOTE
