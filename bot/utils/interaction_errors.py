"""Buttons, menus and forms that fail say so: "try again shortly" in a database outage, else a
plain apology, never Discord's "This interaction failed".

Views and modals get it from their base class (`on_error`); the persistent buttons under
answers are dynamic items, whose errors discord.py only logs, so their callbacks are wrapped
with `answers_failures`.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import discord

from bot.answer_labels import labels_for
from bot.utils.messages import NO_PINGS
from knowledge.errors import StoreUnavailable

log = logging.getLogger(__name__)

FAILED = "죄송해요, 문제가 생겼어요. (Sorry, something went wrong; nothing was changed.)"

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S")


def failure_text(error: BaseException, language: str | None = None) -> str:
    """What the person hears: "try again shortly" in an outage, else an apology; in
    `language` (a camper's button carries its question's), both languages without one."""
    outage = isinstance(error, StoreUnavailable)
    if language is None:
        return StoreUnavailable.MESSAGE if outage else FAILED
    words = labels_for(language)
    return words.unreachable if outage else words.failed


async def answer_failure(interaction: discord.Interaction, error: Exception, what: str,
                         language: str | None = None) -> None:
    """Log the failure and tell only the person who clicked, whatever state the reply is in
    (in `language` when the item knows its question's)."""
    if isinstance(error, StoreUnavailable):
        log.warning("%s: database unreachable (%s)", what, error.detail)
    else:
        log.error("%s failed", what, exc_info=error)
    send = (interaction.followup.send if interaction.response.is_done()
            else interaction.response.send_message)
    with contextlib.suppress(discord.HTTPException):  # expired: the log has the details
        await send(failure_text(error, language), ephemeral=True, allowed_mentions=NO_PINGS)


def answers_failures(
    callback: Callable[Concatenate[S, discord.Interaction[Any], P], Awaitable[R]],
) -> Callable[Concatenate[S, discord.Interaction[Any], P], Awaitable[R | None]]:
    """Wrap a dynamic item's callback so an error is answered, not only logged (in the
    item's question's language when it carries one)."""

    @functools.wraps(callback)
    async def guarded(self: S, interaction: discord.Interaction[Any], *args: P.args,
                      **kwargs: P.kwargs) -> R | None:
        try:
            return await callback(self, interaction, *args, **kwargs)
        except Exception as error:
            await answer_failure(interaction, error, type(self).__name__,
                                 getattr(self, "language", None))
            return None

    return guarded


class AnsweringView(discord.ui.View):
    """A view whose failing item tells the person instead of failing silently."""

    async def on_error(self, interaction: discord.Interaction, error: Exception,
                       item: discord.ui.Item[Any], /) -> None:
        """Answer the person who used the item."""
        await answer_failure(interaction, error, f"{type(self).__name__} item {item!r}")


class AnsweringModal(discord.ui.Modal):
    """A form whose failing submit tells the person instead of failing silently."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:
        """Answer the person who submitted the form."""
        await answer_failure(interaction, error, f"{type(self).__name__} submit")
