"""Who may do what: maintainers (a configured role or Manage Server) and question cooldowns."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import discord

from bot.settings import DiscordSettings
from bot.utils.messages import NO_PINGS

MAINTAINERS_ONLY = (
    "🔒 메인테이너만 쓸 수 있어요. 아무것도 바뀌지 않았어요.\n"
    "(Only maintainers can do this; nothing was changed.)"
)


def person_key(user: discord.abc.User) -> str:
    """How a Discord user is named in the core (ask log, votes, note ownership)."""
    return f"discord:{user.id}"


def place_key(guild_id: int | None, channel_id: int | None) -> str:
    """How a Discord channel is named in the ask log."""
    return f"discord:{guild_id or 'dm'}/{channel_id or '-'}"


def is_maintainer(user: discord.abc.User, settings: DiscordSettings) -> bool:
    """Whether a member has Manage Server or a configured maintainer role **id** in the server
    the interaction comes from (never in DMs; a role's name never counts: anyone can name a
    role anything)."""
    if not isinstance(user, discord.Member):
        return False
    if user.guild_permissions.manage_guild:
        return True
    wanted = settings.maintainer_roles
    return bool(wanted) and any(role.id in wanted for role in user.roles)


async def ensure_maintainer(interaction: discord.Interaction, settings: DiscordSettings) -> bool:
    """True for a maintainer; anyone else gets an ephemeral refusal and False."""
    if is_maintainer(interaction.user, settings):
        return True
    await interaction.response.send_message(MAINTAINERS_ONLY, ephemeral=True,
                                            allowed_mentions=NO_PINGS)
    return False


def cooldown_message(seconds: float) -> str:
    """What a person hears when they ask again too soon."""
    wait = max(1, math.ceil(seconds))
    return (f"⏳ 잠깐만요! {wait}초 뒤에 다시 물어봐 주세요. "
            f"(One question at a time: please ask again in {wait} s.)")


class QuestionCooldown:
    """One question per person per `seconds`: asking, mentioning and follow-ups share it."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._last: dict[int, float] = {}

    def retry_after(self, user_id: int) -> float:
        """0 when the person may ask now (and the clock starts), else the seconds left."""
        if self.seconds <= 0:
            return 0.0
        now = self.clock()
        last = self._last.get(user_id)
        if last is not None and now - last < self.seconds:
            return self.seconds - (now - last)
        self._last[user_id] = now
        if len(self._last) > 10_000:  # forget people whose cooldown is long over
            self._last = {k: v for k, v in self._last.items() if now - v < self.seconds}
        return 0.0
