"""Cards in a space's maintainers' channel: abstentions and 👎, batched so a burst is one message.

The queueing and batching are transport-free (`bot.utils.card_batches`); this module sends a
space's batch as embeds with a jump link and an "Answer this" button each. Once the message is
posted, each card's `on_posted` runs (the answer's footer then says the question was sent, not
just logged).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.utils.answer_embeds import answer_embeds
from bot.utils.card_batches import DELAY_SECONDS, QUESTION_CHARS, Card, CardBatches, Posted
from bot.utils.messages import NO_PINGS, cut, escape_quote, fit_embed, group_for_messages, one_line
from knowledge.errors import StoreUnavailable
from knowledge.views import Answer

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

log = logging.getLogger(__name__)

__all__ = ["DELAY_SECONDS", "Card", "MaintainerCards", "cards_of", "maintainers_card"]

PER_MESSAGE = 20  # cards in one message (a message holds 25 buttons)


def cards_embed(cards: list[Card]) -> discord.Embed:
    """One line a card: why, the question, and a jump link to where it was asked."""
    rows = []
    for number, card in enumerate(cards, start=1):
        mark = "👎" if card.down_vote else "🤔"
        link = f" · [jump]({card.jump_url})" if card.jump_url else ""
        question = escape_quote(cut(one_line(card.question), QUESTION_CHARS))
        rows.append(f"**{number}.** {mark} {question} · ask #{card.ask_id}{link}")
    embed = discord.Embed(title="메인테이너 확인 필요 · For the maintainers",
                          description="\n".join(rows), colour=discord.Colour.orange())
    embed.set_footer(text="🤔 not answered · 👎 voted down — Answer N saves a curated answer "
                          "for it and the questions asked alike")
    return fit_embed(embed)


def cards_view(cards: list[Card]) -> discord.ui.View:
    """An "Answer N" button a card (one per ask: a card twice in a burst is one button)."""
    # Imported here: the ask extension calls this module, and its buttons module is loaded
    # with it; importing it at the top would make the two packages import each other.
    from bot.exts.ask._buttons import SaveCuratedButton

    view = discord.ui.View(timeout=None)
    seen: set[int] = set()
    for number, card in enumerate(cards, start=1):
        if card.ask_id not in seen:
            seen.add(card.ask_id)
            view.add_item(SaveCuratedButton(card.ask_id, label=f"Answer this ({number})"))
    return view


class MaintainerCards(commands.Cog):
    """Queues cards per space and posts each space's queue as one message after a delay."""

    def __init__(self, bot: SunbaeBot, delay: float = DELAY_SECONDS) -> None:
        self.bot = bot
        self.batches = CardBatches(self._deliver, delay)

    @property
    def delay(self) -> float:
        """Seconds a card waits for others of its space."""
        return self.batches.delay

    def post(self, space: str, card: Card, on_posted: Posted | None = None) -> None:
        """Queue a card for `space`'s channel; returns at once."""
        self.batches.post(space, card, on_posted)

    async def flush(self, space: str) -> bool:
        """Post `space`'s queued cards now; True when they reached its maintainers' channel."""
        return await self.batches.flush(space)

    async def _deliver(self, space: str, cards: list[Card]) -> bool:
        """Send a space's cards, twenty a message."""
        channel = await self._channel(space)
        if channel is None:
            return False  # no channel set: the ask log and /unanswered have them
        try:
            for start in range(0, len(cards), PER_MESSAGE):
                batch = cards[start:start + PER_MESSAGE]
                await channel.send(embed=cards_embed(batch), view=cards_view(batch),
                                   allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:  # a card is a courtesy; the log has the question
            log.warning("could not post to the maintainers' channel of %s (%s)", space,
                        exc.status)
            return False
        return True

    async def _channel(self, space: str) -> discord.abc.Messageable | None:
        """The space's maintainers' channel, when one is set and Sunbae can see it."""
        try:
            channel_id = await asyncio.to_thread(self.bot.core.maintainers_channel, space=space)
        except StoreUnavailable:
            log.warning("cards of %s not posted: the database is unreachable", space)
            return None
        if not channel_id or not channel_id.isdigit():
            return None
        channel = self.bot.get_channel(int(channel_id))
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(int(channel_id))
            except discord.HTTPException as exc:
                log.warning("the maintainers' channel of %s is out of reach (%s)", space,
                            exc.status)
                return None
        return channel if isinstance(channel, discord.abc.Messageable) else None

    async def abstained(self, space: str, answer: Answer, sent: object) -> None:
        """An abstention becomes a card (when the space has a channel); once it is posted,
        the answer's footer says the question was sent."""
        if answer.kind != "abstain" or answer.ask_id is None or not await self._has_channel(space):
            return
        message = sent if isinstance(sent, discord.Message) else None
        card = Card(answer.ask_id, answer.question,
                    jump_url=message.jump_url if message is not None else None)
        self.post(space, card, None if message is None else _say_sent(message, answer))

    async def down_voted(self, space: str, ask_id: int, jump_url: str | None) -> None:
        """A 👎 becomes a card (the question as the ask log has it)."""
        if not await self._has_channel(space):
            return
        ask = await asyncio.to_thread(self.bot.core.get_ask, ask_id, space=space)
        if ask is not None:
            self.post(space, Card(ask_id, ask.question, down_vote=True, jump_url=jump_url))

    async def _has_channel(self, space: str) -> bool:
        try:
            return bool(await asyncio.to_thread(self.bot.core.maintainers_channel, space=space))
        except StoreUnavailable:  # the answer is out already; the card is not worth an error
            return False

    async def cog_unload(self) -> None:
        """Stop the timers (queued cards are dropped; the ask log keeps their questions)."""
        self.batches.stop()


def _say_sent(message: discord.Message, answer: Answer) -> Posted:
    """Edits the answer's last message so its footer says the question was sent."""
    embeds = group_for_messages(answer_embeds(answer, sent_to_maintainers=True))[-1]

    async def edit() -> None:
        with contextlib.suppress(discord.HTTPException):  # the answer may be gone
            await message.edit(embeds=embeds, allowed_mentions=NO_PINGS)
    return edit


def cards_of(bot: commands.Bot) -> MaintainerCards | None:
    """The bot's card poster (None when the curate extension is not loaded)."""
    cog = bot.get_cog("MaintainerCards")
    return cog if isinstance(cog, MaintainerCards) else None


async def maintainers_card(bot: commands.Bot, space: str, answer: Answer, sent: object) -> None:
    """After an answer is sent: an abstention becomes a card in the maintainers' channel."""
    cards = cards_of(bot)
    if cards is not None:
        await cards.abstained(space, answer, sent)
