"""/unanswered: the questions Sunbae could not answer, and a menu to answer one of them."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.curate._embeds import unanswered_pages
from bot.utils.checks import ensure_maintainer, maintainer_check
from bot.utils.interaction_errors import AnsweringView
from bot.utils.messages import NO_PINGS, cut, one_line
from bot.utils.pagination import send_pages
from bot.utils.promote import PromoteModal
from bot.utils.spaces import interaction_space
from knowledge.views import UnansweredGroup

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

MENU_LIMIT = 25  # options in one select menu


class AnswerOneMenu(discord.ui.Select["UnansweredView"]):
    """Pick a question; a form opens to write its answer, saved as a curated answer."""

    def __init__(self, groups: list[UnansweredGroup], space: str) -> None:
        self.space = space
        self.groups = {str(group.ask_ids[0]): group for group in groups[:MENU_LIMIT]}
        options = [
            discord.SelectOption(label=cut(f"{n}. {one_line(g.question)}", 100),
                                 description=f"asked {g.count}×", value=key)
            for n, (key, g) in enumerate(self.groups.items(), start=1)
        ]
        super().__init__(placeholder="Answer one… · 답하기", options=options)

    async def callback(self, interaction: discord.Interaction[SunbaeBot]) -> None:
        """Open the form for the chosen group; saving resolves every ask in it."""
        if (await interaction_space(interaction) != self.space
                or not await ensure_maintainer(interaction, interaction.client.discord_settings)):
            return
        group = self.groups[self.values[0]]
        await interaction.response.send_modal(
            PromoteModal(ask_ids=list(group.ask_ids), question=group.question, answer="",
                         space=self.space)
        )


class UnansweredView(AnsweringView):
    """The menu under the worklist."""

    def __init__(self, groups: list[UnansweredGroup], space: str) -> None:
        super().__init__(timeout=900)
        self.menu = AnswerOneMenu(groups, space)
        self.add_item(self.menu)


class UnansweredCog(commands.Cog):
    """The maintainers' worklist of abstentions."""

    def __init__(self, bot: SunbaeBot) -> None:
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Before every command (discord.py runs it): only a maintainer of this server."""
        return await maintainer_check(interaction, self.bot.discord_settings)

    @app_commands.command(name="unanswered",
                          description="Questions Sunbae could not answer (maintainers)")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def unanswered(self, interaction: discord.Interaction[SunbaeBot]) -> None:
        """Alike questions grouped, most asked first, with a menu to answer one."""
        space = await interaction_space(interaction)
        if space is None:
            return
        groups = await asyncio.to_thread(self.bot.core.unanswered, limit=MENU_LIMIT, space=space)
        await send_pages(interaction, unanswered_pages(groups), ephemeral=True)
        if groups:
            await interaction.followup.send("답할 질문을 고르세요 · Pick one to answer:",
                                            view=UnansweredView(groups, space), ephemeral=True,
                                            allowed_mentions=NO_PINGS)
