"""What a question is asked in: the Sunbae answer it points at, or its Sunbae thread."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord

from bot.exts.ask._routing import ask_ids_of
from bot.utils.checks import place_key
from knowledge.conversation import Conversation
from knowledge.errors import StoreUnavailable

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot


async def thread_context(bot: SunbaeBot, channel: object, space: str, *,
                         guild_id: int | None, bot_id: int | None,
                         answered: discord.Message | None = None) -> Conversation | None:
    """The context of a follow-up (a message, or "Ask Sunbae" on one): the asks of the Sunbae
    answer it points at (`answered`), else the earlier questions logged under its thread;
    None for a question on its own, or when the store is down (the question will say so)."""
    core = bot.core
    try:
        if answered is not None and (asks := ask_ids_of(answered)):
            return await asyncio.to_thread(core.conversation, asks=asks, space=space)
        if not isinstance(channel, discord.Thread):
            return None
        here = place_key(guild_id, channel.id)
        found = await asyncio.to_thread(core.conversation, channel=here, space=space)
    except StoreUnavailable:
        return None
    if found is None and bot_id is not None and channel.owner_id == bot_id:
        # A thread Sunbae opened before its asks were logged under it: named after the
        # question that opened it.
        return Conversation(first_question=channel.name)
    return found
