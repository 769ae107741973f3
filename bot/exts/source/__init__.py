"""Reading the journals: /source shows one day's entry, a page at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.source._cog import SourceCog

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot


async def setup(bot: SunbaeBot) -> None:
    """Load the source cog."""
    await bot.add_cog(SourceCog(bot))
