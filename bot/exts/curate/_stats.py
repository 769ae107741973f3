"""/stats (maintainers): how the server's questions went over the last days, as one embed."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.utils.checks import ensure_maintainer
from bot.utils.messages import NO_PINGS, cut, escape_quote, fit_embed, one_line
from bot.utils.spaces import interaction_space
from knowledge.store.ask_stats import AskStats

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

REASON_WORDS = {"wrong_day": "날짜가 틀림 · wrong day", "outdated": "오래됨 · outdated",
                "did_not_answer": "답이 아님 · did not answer", "other": "기타 · other",
                "not_given": "이유 없음 · not given"}
KIND_WORDS = {"curated": "✅ curated", "passage": "📓 journals", "abstain": "🤔 not answered"}


def stats_embed(stats: AskStats) -> discord.Embed:
    """Asks by kind with shares, votes with 👎 reasons, latency, the most asked unanswered."""
    embed = discord.Embed(title=f"지난 {stats.days}일 · Last {stats.days} days",
                          description=f"**{stats.asks}** asks", colour=discord.Colour.teal())
    kinds = "\n".join(f"{KIND_WORDS[kind]}: {stats.by_kind.get(kind, 0)} "
                      f"({stats.share(kind) * 100:.0f}%)" for kind in KIND_WORDS)
    embed.add_field(name="Answers · 답변", value=kinds, inline=True)
    votes = [f"👍 {stats.votes_up} · 👎 {stats.votes_down}"]
    votes += [f"👎 {REASON_WORDS.get(reason, reason)}: {count}"
              for reason, count in stats.down_reasons.items()]
    votes += [f"> {escape_quote(cut(one_line(text), 100))}" for text in stats.other_reasons[:3]]
    embed.add_field(name="Votes · 투표", value="\n".join(votes), inline=True)

    def ms(value: float | None) -> str:
        return "—" if value is None else f"{value:.0f} ms"

    embed.add_field(name="Latency · 응답 시간",
                    value=f"p50 {ms(stats.p50_ms)} · p95 {ms(stats.p95_ms)}", inline=False)
    if stats.top_unanswered:
        rows = [f"{g.count}× {escape_quote(cut(one_line(g.question), 150))}"
                for g in stats.top_unanswered]
        embed.add_field(name="Most asked, unanswered · 답 못한 질문", value="\n".join(rows),
                        inline=False)
    return fit_embed(embed)


class StatsCog(commands.Cog):
    """The maintainers' numbers."""

    def __init__(self, bot: SunbaeBot) -> None:
        self.bot = bot

    @app_commands.command(name="stats", description="How questions went lately (maintainers)")
    @app_commands.describe(days="How many days back (default 7)")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def stats(self, interaction: discord.Interaction[SunbaeBot],
                    days: app_commands.Range[int, 1, 365] = 7) -> None:
        """The server's stats, shown only to the maintainer who asked."""
        space = await interaction_space(interaction)
        if space is None or not await ensure_maintainer(interaction, self.bot.discord_settings):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        stats = await asyncio.to_thread(self.bot.core.ask_stats, days=days, space=space)
        await interaction.followup.send(embed=stats_embed(stats), ephemeral=True,
                                        allowed_mentions=NO_PINGS)
