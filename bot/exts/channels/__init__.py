"""Channel modes (`/sunbae channel #ch mode:auto|mention|off`) and answering forum posts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.channels._cog import ChannelsCog

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot


async def setup(bot: SunbaeBot) -> None:
    """Load the channels cog."""
    await bot.add_cog(ChannelsCog(bot))
