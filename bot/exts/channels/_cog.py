"""The channels cog: `/sunbae channel` (maintainers) and new posts in `auto` forums."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.channels._forum import answer_post
from bot.exts.channels._modes import ModeBook
from bot.utils.checks import ensure_maintainer
from bot.utils.messages import NO_PINGS
from bot.utils.spaces import interaction_space, space_for
from knowledge.errors import StoreUnavailable

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

log = logging.getLogger(__name__)

MODE_TEXT = {
    "auto": "모든 질문에 답해요 (every question is answered; a forum's new posts too)",
    "mention": "멘션할 때만 답해요 (answered only when Sunbae is mentioned)",
    "off": "답하지 않아요 (Sunbae stays silent there)",
}


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)  # hidden from campers by default
class ChannelsCog(commands.GroupCog, group_name="sunbae",
                  group_description="Sunbae settings · 선배 설정"):
    """Where Sunbae answers: channel modes stored per space, and forum posts answered."""

    def __init__(self, bot: SunbaeBot) -> None:
        self.bot = bot
        self.modes = ModeBook(bot.core)
        super().__init__()

    @app_commands.command(name="channel", description="How Sunbae answers in a channel · 채널 모드")
    @app_commands.describe(channel="The channel or forum · 채널", mode="auto | mention | off")
    async def channel(self, interaction: discord.Interaction[SunbaeBot],
                      channel: discord.TextChannel | discord.ForumChannel,
                      mode: Literal["auto", "mention", "off"]) -> None:
        """Store a channel's mode for this server (maintainers only; survives restarts)."""
        if not await ensure_maintainer(interaction, self.bot.discord_settings):
            return
        space = await interaction_space(interaction)
        if space is None:
            return
        try:
            await self.modes.set(space, channel.id, mode)
        except StoreUnavailable as exc:
            await interaction.response.send_message(str(exc), ephemeral=True,
                                                    allowed_mentions=NO_PINGS)
            return
        await interaction.response.send_message(f"<#{channel.id}>: `{mode}` · {MODE_TEXT[mode]}",
                                                ephemeral=True, allowed_mentions=NO_PINGS)

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        """A new post in a forum whose mode is `auto`: answered inside the post."""
        if not isinstance(thread.parent, discord.ForumChannel):
            return
        space = space_for(thread.guild.id, self.bot.discord_settings)
        if space is None:
            return
        if await self.modes.mode_of(space, thread, self.bot.discord_settings) != "auto":
            return
        await answer_post(self.bot, thread, space)
