"""The curate cog: /curate add|edit|retire|list|show, for maintainers only."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.curate._embeds import curated_embed, curated_list_pages
from bot.exts.curate._modals import CuratedAnswerModal, fits_the_form
from bot.utils.checks import is_maintainer, maintainer_check
from bot.utils.messages import NO_PINGS, cut, no_pings, one_line
from bot.utils.pagination import send_pages
from bot.utils.spaces import interaction_space, space_for
from knowledge.errors import CurationError
from knowledge.spaces import SEE_SHARED_CHOICES

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

CHOICE_LIMIT = 25  # Discord shows at most 25 autocomplete choices
SEES_SHARED = ("👀 이 서버는 선배와 함께 온 큐레이션 답변을 봐요. "
               "(This server sees the curated answers shipped with Sunbae.)")
SEES_NO_SHARED = ("🙈 이 서버는 선배와 함께 온 큐레이션 답변을 보지 않아요. "
                  "(This server does not see the curated answers shipped with Sunbae.)")


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)  # hidden from campers by default
class CurateCog(commands.GroupCog, group_name="curate",
                group_description="Curated answers (maintainers) · 큐레이션 답변"):
    """Every subcommand first checks that the caller is a maintainer and does nothing if not."""

    def __init__(self, bot: SunbaeBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Before every subcommand (discord.py runs it): only a maintainer of this server."""
        return await maintainer_check(interaction, self.bot.discord_settings)

    async def _maintainer_space(self, interaction: discord.Interaction) -> str | None:
        """The server's space (the cog's interaction_check already refused anyone else)."""
        return await interaction_space(interaction)

    async def _say(self, interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(no_pings(text), ephemeral=True,
                                                allowed_mentions=NO_PINGS)

    @app_commands.command(name="add", description="Add a curated answer (opens a form)")
    async def add(self, interaction: discord.Interaction[SunbaeBot]) -> None:
        """Open the empty form."""
        space = await self._maintainer_space(interaction)
        if space is None:
            return
        await interaction.response.send_modal(CuratedAnswerModal(space=space))

    @app_commands.command(name="edit", description="Edit a curated answer (opens a form)")
    @app_commands.describe(slug="Which curated answer")
    async def edit(self, interaction: discord.Interaction[SunbaeBot], slug: str) -> None:
        """Open the form prefilled with the answer's current texts."""
        space = await self._maintainer_space(interaction)
        if space is None:
            return
        try:
            current = await asyncio.to_thread(self.bot.core.get_curated, slug, space=space)
        except CurationError as exc:
            return await self._say(interaction, f"⚠️ {exc}")
        if not fits_the_form(current):
            # A form input holds at most 4000 characters; saving would silently shorten it.
            return await self._say(interaction, f"⚠️ `{slug}` is longer than a Discord form "
                                                "holds; edit it with `sunbae curate edit`.")
        await interaction.response.send_modal(CuratedAnswerModal(current, space=space))

    @app_commands.command(name="retire", description="Stop using a curated answer")
    @app_commands.describe(slug="Which curated answer")
    async def retire(self, interaction: discord.Interaction[SunbaeBot], slug: str) -> None:
        """Retire it (kept with its history, so it can be restored)."""
        space = await self._maintainer_space(interaction)
        if space is None:
            return
        try:
            view = await asyncio.to_thread(self.bot.core.retire_curated, slug,
                                           author=interaction.user.display_name, space=space)
        except CurationError as exc:
            return await self._say(interaction, f"⚠️ {exc}")
        await self._say(interaction, f"🗄️ retired `{view.slug}` (v{view.version})")

    @app_commands.command(name="list", description="List the curated answers")
    @app_commands.describe(include_retired="Also list retired answers")
    async def list_answers(self, interaction: discord.Interaction[SunbaeBot],
                   include_retired: bool = False) -> None:
        """Slug, version and question of each."""
        space = await self._maintainer_space(interaction)
        if space is None:
            return
        views = await asyncio.to_thread(self.bot.core.list_curated,
                                        include_retired=include_retired, space=space)
        await send_pages(interaction, curated_list_pages(views), ephemeral=True)

    @app_commands.command(name="show", description="Show one curated answer in full")
    @app_commands.describe(slug="Which curated answer")
    async def show(self, interaction: discord.Interaction[SunbaeBot], slug: str) -> None:
        """Question, answer, phrasings, cited days, author and version."""
        space = await self._maintainer_space(interaction)
        if space is None:
            return
        try:
            view = await asyncio.to_thread(self.bot.core.get_curated, slug, space=space)
        except CurationError as exc:
            return await self._say(interaction, f"⚠️ {exc}")
        await interaction.response.send_message(embed=curated_embed(view), ephemeral=True,
                                                allowed_mentions=NO_PINGS)

    @app_commands.command(name="maintainers-channel",
                          description="Where abstentions and 👎 are posted (empty: nowhere)")
    @app_commands.describe(channel="The maintainers' channel; leave out to stop posting")
    async def maintainers_channel(self, interaction: discord.Interaction[SunbaeBot],
                                  channel: discord.TextChannel | None = None) -> None:
        """Store the server's maintainers' channel (it survives restarts), or clear it."""
        space = await self._maintainer_space(interaction)
        if space is None:
            return
        await asyncio.to_thread(self.bot.core.set_maintainers_channel,
                                None if channel is None else str(channel.id), space=space)
        if channel is None:
            return await self._say(interaction, "🔕 카드를 더 보내지 않아요. (No channel: "
                                                "questions are only logged for /unanswered.)")
        await self._say(interaction, f"📮 {channel.mention} 에 답하지 못한 질문과 👎 를 보낼게요. "
                                     "(Abstentions and 👎 will be posted there.)")

    @app_commands.command(name="shared",
                          description="Whether this server sees the shipped curated answers")
    @app_commands.describe(choice="on | off | default (the bot's setting); empty: say which")
    async def shared(self, interaction: discord.Interaction[SunbaeBot],
                     choice: Literal["on", "off", "default"] | None = None) -> None:
        """Store whether the server sees the curated answers (and sample journal) shipped
        with Sunbae, or say whether it does."""
        space = await self._maintainer_space(interaction)
        if space is None:
            return
        core = self.bot.core
        if choice is not None:
            await asyncio.to_thread(core.set_sees_shared, SEE_SHARED_CHOICES[choice], space=space)
        seen = await asyncio.to_thread(core.sees_shared, space=space)
        await self._say(interaction, SEES_SHARED if seen else SEES_NO_SHARED)

    @edit.autocomplete("slug")
    @show.autocomplete("slug")
    async def any_slug(self, interaction: discord.Interaction[SunbaeBot],
                       current: str) -> list[app_commands.Choice[str]]:
        """Curated answers, retired ones too, whose slug or question holds what was typed."""
        return await self._choices(interaction, current, include_retired=True)

    @retire.autocomplete("slug")
    async def active_slug(self, interaction: discord.Interaction[SunbaeBot],
                          current: str) -> list[app_commands.Choice[str]]:
        """Active curated answers whose slug or question holds what was typed."""
        return await self._choices(interaction, current, include_retired=False)

    async def _choices(self, interaction: discord.Interaction, current: str, *,
                       include_retired: bool) -> list[app_commands.Choice[str]]:
        space = space_for(interaction.guild_id, self.bot.discord_settings)
        if space is None or not is_maintainer(interaction.user, self.bot.discord_settings):
            return []
        views = await asyncio.to_thread(self.bot.core.list_curated,
                                        include_retired=include_retired, space=space)
        typed = current.lower().strip()
        found = [v for v in views if typed in v.slug.lower() or typed in v.question.lower()]
        return [app_commands.Choice(name=cut(f"{v.slug} — {one_line(v.question)}", 100),
                                    value=v.slug) for v in found[:CHOICE_LIMIT]]
