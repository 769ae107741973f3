"""Maintainers' cards on Slack: abstentions and 👎, batched per workspace into one message.

The batching is `bot.utils.card_batches` (shared with Discord), keyed here by team id. A
workspace's cards go to the channel stored for it (`/curate maintainers-channel`), else to
SUNBAE_SLACK_MAINTAINER_CHANNEL_ID; once a card is posted, the abstention's answer is edited so
its footer says "Sent" instead of "Logged".
"""

from __future__ import annotations

import contextlib
import copy
import logging
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError

from bot.answer_labels import LABELS
from bot.slack.blocks import SAVE_CURATED, Block, button, mrkdwn
from bot.slack.mrkdwn import FALLBACK_TEXT_LIMIT, cut, plain
from bot.slack.people import api_error
from bot.slack.replies import QUIET
from bot.utils.card_batches import DELAY_SECONDS, QUESTION_CHARS, Card, CardBatches, Posted
from knowledge.errors import StoreUnavailable
from knowledge.views import Answer

if TYPE_CHECKING:
    from bot.slack.transport import SlackTransport

log = logging.getLogger(__name__)

PER_MESSAGE = 20  # cards in one message (an actions block holds 25 buttons)
TITLE = "*메인테이너 확인 필요 · For the maintainers*"
LEGEND = ("🤔 not answered · 👎 voted down — Answer N saves a curated answer for it and the "
          "questions asked alike")
SENT_NOTE = "메인테이너에게 전달했어요 · Sent to the maintainers"


def card_line(number: int, card: Card) -> str:
    """`N. 🤔 question · ask #id · jump`, mrkdwn-escaped."""
    mark = "👎" if card.down_vote else "🤔"
    question = cut(plain(" ".join(card.question.split())), QUESTION_CHARS)
    link = ""
    if card.jump_url and card.jump_url.startswith("https://"):
        link = f" · <{card.jump_url.replace('|', '%7C').replace('>', '%3E')}|jump>"
    return f"*{number}.* {mark} {question} · ask #{card.ask_id}{link}"


def cards_blocks(cards: list[Card]) -> list[Block]:
    """A card a section, the legend, then an "Answer this (N)" button a card (one per ask: a
    card twice in a burst is one button)."""
    blocks: list[Block] = [{"type": "section", "text": mrkdwn(TITLE)}]
    blocks += [{"type": "section", "text": mrkdwn(card_line(number, card))}
               for number, card in enumerate(cards, start=1)]
    blocks.append({"type": "context", "elements": [mrkdwn(LEGEND)]})
    buttons, seen = [], set()
    for number, card in enumerate(cards, start=1):
        if card.ask_id not in seen:
            seen.add(card.ask_id)
            buttons.append(button(f"📝 Answer this ({number})", SAVE_CURATED, card.ask_id,
                                  style="primary"))
    blocks.append({"type": "actions", "elements": buttons})
    return blocks


def sent_note(told: str) -> str:
    """'Sent' in the language the footer said 'Logged' in (both when it is not known)."""
    for words in LABELS.values():
        if told.startswith(words.logged_for_maintainers):
            return words.sent_to_maintainers
    return SENT_NOTE


def sent_blocks(blocks: list[Block]) -> list[Block]:
    """An abstention's last message with its footer saying the question was sent (the footer
    is the context block ending `ask #N`; what came before the ask number is replaced)."""
    changed = copy.deepcopy(blocks)
    for block in reversed(changed):
        elements = block.get("elements") or []
        text = elements[0].get("text", "") if block.get("type") == "context" and elements else ""
        if "ask #" in text:
            told, _, ask_id = text.rpartition("ask #")
            elements[0]["text"] = f"{sent_note(told)} · ask #{ask_id}"
            break
    return changed


class SlackCards:
    """Queues each workspace's cards and posts them as one message after a short delay."""

    def __init__(self, t: SlackTransport, delay: float = DELAY_SECONDS) -> None:
        self.t = t
        self.batches = CardBatches(self._deliver, delay)

    async def channel_of(self, team: str | None) -> str | None:
        """The workspace's maintainers' channel: the stored one, else the configured default
        (also while the store is unreachable)."""
        try:
            stored = await self.t.core.maintainers_channel(team)
        except StoreUnavailable:
            stored = None
        return stored or self.t.settings.maintainer_channel_id

    async def _deliver(self, team: str, cards: list[Card]) -> bool:
        channel = await self.channel_of(team or None)
        if not channel:
            return False  # no channel: the ask log and /unanswered have them
        text = cut(f"메인테이너 확인 필요 · For the maintainers: {len(cards)} question(s)",
                   FALLBACK_TEXT_LIMIT)
        try:
            for start in range(0, len(cards), PER_MESSAGE):
                await self.t.client.chat_postMessage(
                    channel=channel, blocks=cards_blocks(cards[start:start + PER_MESSAGE]),
                    text=text, **QUIET)
        except SlackApiError as exc:  # a card is a courtesy; the ask log has the question
            log.warning("could not post to the maintainers' channel: %s", api_error(exc))
            return False
        return True

    async def permalink(self, channel: str, ts: str | None) -> str | None:
        """A link to a message (None when Slack will not give one)."""
        if not ts:
            return None
        try:
            response = await self.t.client.chat_getPermalink(channel=channel, message_ts=ts)
        except SlackApiError as exc:
            log.warning("no permalink for a card: %s", api_error(exc))
            return None
        link = response.get("permalink")
        return link if isinstance(link, str) else None

    async def abstained(self, team: str | None, answer: Answer, *, channel: str,
                        ts: str | None, blocks: list[Block], text: str) -> None:
        """An abstention becomes a card (when the workspace has a channel); once it is
        posted, the answer's last message (`ts`, `blocks`) says the question was sent."""
        if answer.kind != "abstain" or answer.ask_id is None or not await self.channel_of(team):
            return
        card = Card(answer.ask_id, answer.question, jump_url=await self.permalink(channel, ts))
        on_posted = None if ts is None else self._say_sent(channel, ts, blocks, text)
        self.batches.post(team or "", card, on_posted)

    async def down_voted(self, team: str | None, ask_id: int, *, channel: str | None,
                         ts: str | None) -> None:
        """A 👎 becomes a card (the question as the ask log has it)."""
        if not await self.channel_of(team):
            return
        ask = await self.t.core.get_ask(team, ask_id)
        if ask is None:
            return
        jump = await self.permalink(channel, ts) if channel else None
        self.batches.post(team or "", Card(ask_id, ask.question, down_vote=True, jump_url=jump))

    def _say_sent(self, channel: str, ts: str, blocks: list[Block], text: str) -> Posted:
        async def edit() -> None:
            with contextlib.suppress(SlackApiError):  # the answer may be gone
                await self.t.client.chat_update(channel=channel, ts=ts, text=text,
                                                blocks=sent_blocks(blocks))
        return edit

    async def flush(self, team: str | None) -> bool:
        """Post the workspace's queued cards now; True when they reached its channel."""
        return await self.batches.flush(team or "")
