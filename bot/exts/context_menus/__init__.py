"""Context-menu commands on messages: "Ask Sunbae" and "Save as curated answer"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.context_menus._cog import ContextMenusCog

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot


async def setup(bot: SunbaeBot) -> None:
    """Load the cog; it adds its menu commands to the tree."""
    await bot.add_cog(ContextMenusCog(bot))
