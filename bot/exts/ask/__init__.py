"""Questions: /ask, mentions answered in threads, follow-ups, and the buttons under answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.ask._buttons import MoreSourcesButton, SaveCuratedButton, VoteButton
from bot.exts.ask._cog import AskCog
from bot.exts.ask._reasons import ReasonButton

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot


async def setup(bot: SunbaeBot) -> None:
    """Load the ask cog; the buttons are dynamic so old answers keep working after a restart."""
    bot.add_dynamic_items(VoteButton, MoreSourcesButton, SaveCuratedButton, ReasonButton)
    await bot.add_cog(AskCog(bot))
