"""Which space a Discord interaction or message acts in: its server's, a DM space, or none."""

from __future__ import annotations

import logging

import discord

from bot.answer_labels import LABELS
from bot.settings import DiscordSettings
from bot.utils.messages import NO_PINGS
from knowledge.spaces import discord_space

log = logging.getLogger(__name__)

# A command in a DM has no question to take a language from: both.
DM_REFUSED = f"{LABELS['ko'].dm_refused}\n({LABELS['en'].dm_refused.removeprefix('🔒 ')})"
_ignored_guilds: set[int] = set()  # servers not allowed, each logged once


def space_for(guild_id: int | None, settings: DiscordSettings) -> str | None:
    """The space of a server (None when the bot does not serve it), or of a DM (None when
    DMs are refused)."""
    if guild_id is None:
        return settings.dm_space
    allowed = settings.allowed_guild_ids
    if allowed and guild_id not in allowed:
        if guild_id not in _ignored_guilds:
            _ignored_guilds.add(guild_id)
            log.warning("ignoring server %d: not in SUNBAE_DISCORD_ALLOWED_GUILD_IDS", guild_id)
        return None
    return discord_space(guild_id)


async def interaction_space(interaction: discord.Interaction) -> str | None:
    """The space an interaction acts in; None after refusing a DM (a server the bot does not
    serve gets no reply at all)."""
    settings: DiscordSettings = interaction.client.discord_settings  # type: ignore[attr-defined]
    space = space_for(interaction.guild_id, settings)
    if space is None and interaction.guild_id is None and not interaction.response.is_done():
        await interaction.response.send_message(DM_REFUSED, ephemeral=True,
                                                allowed_mentions=NO_PINGS)
    return space
