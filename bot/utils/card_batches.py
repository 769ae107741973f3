"""Maintainers' cards batched per space, for any transport: a burst becomes one message.

A card is queued without waiting (the answer never waits for it); a short delay later every card
of the space is handed to the transport's `deliver` at once. When the transport says they
reached the maintainers' channel, each card's `on_posted` runs (the answer's footer then says
the question was sent, not just logged). Nothing here knows Discord or Slack.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

DELAY_SECONDS = 5.0  # a burst of abstentions within this becomes one message
QUESTION_CHARS = 150  # a card shows this much of its question
Posted = Callable[[], Awaitable[object]]


@dataclass(frozen=True)
class Card:
    """One question for the maintainers: an abstention, or an answer someone voted 👎."""

    ask_id: int
    question: str
    down_vote: bool = False
    jump_url: str | None = None


# Posts a space's queued cards; True when they reached its maintainers' channel.
Deliver = Callable[[str, list[Card]], Awaitable[bool]]


class CardBatches:
    """Queues cards per space and delivers each space's queue in one go after a delay."""

    def __init__(self, deliver: Deliver, delay: float = DELAY_SECONDS) -> None:
        self.deliver = deliver
        self.delay = delay
        self._pending: dict[str, list[tuple[Card, Posted | None]]] = {}
        self._timers: dict[str, asyncio.Task[bool]] = {}

    def post(self, space: str, card: Card, on_posted: Posted | None = None) -> None:
        """Queue a card for `space`'s channel; returns at once."""
        self._pending.setdefault(space, []).append((card, on_posted))
        if space not in self._timers:
            self._timers[space] = asyncio.create_task(self._after_delay(space))

    async def _after_delay(self, space: str) -> bool:
        await asyncio.sleep(self.delay)
        return await self.flush(space)

    async def flush(self, space: str) -> bool:
        """Deliver `space`'s queued cards now; True when they reached its maintainers' channel
        (then each card's `on_posted` has run)."""
        timer = self._timers.pop(space, None)
        if timer is not None and timer is not asyncio.current_task():
            timer.cancel()
        queued = self._pending.pop(space, [])
        if not queued or not await self.deliver(space, [card for card, _ in queued]):
            return False  # no channel, or it failed: the ask log and /unanswered have them
        for _, on_posted in queued:
            if on_posted is not None:
                await on_posted()
        return True

    async def flush_all(self) -> None:
        """Deliver every space's queued cards now."""
        for space in list(self._pending):
            await self.flush(space)

    def stop(self) -> None:
        """Stop the timers (queued cards are dropped; the ask log keeps their questions)."""
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
