"""Notes: /ingest attachments or pasted text, /forget a note; authors own what they add."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.ingest._cog import IngestCog

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot


async def setup(bot: SunbaeBot) -> None:
    """Load the ingest cog."""
    await bot.add_cog(IngestCog(bot))
