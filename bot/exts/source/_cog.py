"""The source cog: /source day shows what the journals say on that day."""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.source._day_pages import day_pages, no_day_message
from bot.utils.messages import NO_PINGS, cut
from bot.utils.pagination import send_pages
from bot.utils.spaces import interaction_space, space_for

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

CHOICE_LIMIT = 25  # Discord shows at most 25 autocomplete choices


class SourceCog(commands.Cog):
    """Read the journal entry of one day."""

    def __init__(self, bot: SunbaeBot) -> None:
        self.bot = bot

    @app_commands.command(name="source", description="Show a day of the journals · 그날의 기록")
    @app_commands.describe(day="A day number or label, e.g. 8 or Day 8")
    async def source(self, interaction: discord.Interaction[SunbaeBot],
                     day: app_commands.Range[str, 1, 64]) -> None:
        """The day's entry, paginated when long."""
        space = await interaction_space(interaction)
        if space is None:
            return
        sections = await asyncio.to_thread(self.bot.core.sections_of_day, day, space=space)
        if not sections:
            await interaction.response.send_message(no_day_message(day), ephemeral=True,
                                                    allowed_mentions=NO_PINGS)
            return
        await send_pages(interaction, day_pages(sections))

    @source.autocomplete("day")
    async def days(self, interaction: discord.Interaction[SunbaeBot],
                   current: str) -> list[app_commands.Choice[str]]:
        """The days this server's notes (and the shared ones) hold, matching what was typed."""
        space = space_for(interaction.guild_id, self.bot.discord_settings)
        if space is None:
            return []
        found = await asyncio.to_thread(functools.partial(
            self.bot.core.day_labels, current, space=space, limit=CHOICE_LIMIT))
        return [app_commands.Choice(name=cut(f"{day} — {label}", 100), value=day[:64])
                for day, label in found]
