"""The stored channel modes of each space, read once from the core and kept until changed."""

from __future__ import annotations

import asyncio

import discord

from bot.settings import DiscordSettings
from knowledge.core import Sunbae
from knowledge.errors import StoreUnavailable


class ModeBook:
    """Channel modes by space: every message consults them, so they are not read each time."""

    def __init__(self, core: Sunbae) -> None:
        self.core = core
        self._spaces: dict[str, dict[str, str]] = {}

    async def stored(self, space: str, channel_id: int) -> str | None:
        """The mode stored for a channel (None: none stored, or the store is down)."""
        if space not in self._spaces:
            try:
                self._spaces[space] = await asyncio.to_thread(self.core.channel_modes,
                                                              space=space)
            except StoreUnavailable:
                return None  # the defaults until the store is back; read again next time
        return self._spaces[space].get(str(channel_id))

    async def set(self, space: str, channel_id: int, mode: str | None) -> None:
        """Store a channel's mode (it survives restarts) and forget the space's cached modes."""
        await asyncio.to_thread(self.core.set_channel_mode, str(channel_id), mode, space=space)
        self._spaces.pop(space, None)

    async def mode_of(self, space: str, channel: discord.abc.Messageable | discord.Thread,
                      settings: DiscordSettings) -> str | None:
        """The mode where a message is written: a thread follows its channel (or forum); a Q&A
        channel with answer-all on and no stored mode is `auto`."""
        channel_id = getattr(channel, "parent_id", None) or getattr(channel, "id", None)
        if channel_id is None:
            return None
        stored = await self.stored(space, channel_id)
        if stored is None and settings.answer_all_in_qa_channels and (
                channel_id in settings.qa_channel_ids):
            return "auto"
        return stored
