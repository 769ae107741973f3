"""Maintainers: /curate add|edit|retire|list|show|maintainers-channel, /unanswered, /stats,
and the cards posted in the maintainers' channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.curate._cards import MaintainerCards
from bot.exts.curate._cog import CurateCog
from bot.exts.curate._stats import StatsCog
from bot.exts.curate._unanswered import UnansweredCog

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot


async def setup(bot: SunbaeBot) -> None:
    """Load the curation cogs."""
    await bot.add_cog(CurateCog(bot))
    await bot.add_cog(UnansweredCog(bot))
    await bot.add_cog(StatsCog(bot))
    await bot.add_cog(MaintainerCards(bot))
