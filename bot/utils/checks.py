"""Who may do what: maintainers (a configured role or Manage Server) and question cooldowns."""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import discord
from discord.ext import commands

from bot.answer_labels import cooldown_text
from bot.settings import DiscordSettings
from bot.utils.messages import NO_PINGS
from knowledge.language import locale_language

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S")

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


async def maintainer_check(interaction: discord.Interaction, settings: DiscordSettings) -> bool:
    """A maintainers' cog's `interaction_check`: a server the bot serves, and the caller
    maintains it; anyone else is refused here (ephemerally) and the command does not run."""
    # Imported here: bot.utils.spaces sends the DM refusal, and itself needs nothing of this.
    from bot.utils.spaces import interaction_space

    return (await interaction_space(interaction) is not None
            and await ensure_maintainer(interaction, settings))


def cooldown_message(seconds: float, language: str | None = None) -> str:
    """What a person hears when they ask again too soon, in their question's language."""
    return cooldown_text(language, seconds)


class QuestionCooldown:
    """One question per person per `seconds`, kept by discord.py's `CooldownMapping`: asking,
    mentioning, follow-ups and "More sources" share it. Looking does not start it; `start`
    does, once a question was valid and answered (a refused or failed one costs no wait)."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.seconds = seconds

    @property
    def seconds(self) -> float:
        """Seconds a person waits between questions (0: no cooldown)."""
        return self._seconds

    @seconds.setter
    def seconds(self, value: float) -> None:
        self._seconds = value
        # Keyed by the user id itself; the mapping drops buckets whose cooldown is over.
        self._buckets: commands.CooldownMapping[int] | None = (
            commands.CooldownMapping.from_cooldown(1, value, _by_person) if value > 0 else None)

    def retry_after(self, user_id: int) -> float:
        """0 when the person may ask now, else the seconds left (this does not start it)."""
        if self._buckets is None:
            return 0.0
        now = self.clock()
        bucket = self._buckets.get_bucket(user_id, now)
        return bucket.get_retry_after(now) if bucket is not None else 0.0

    def start(self, user_id: int) -> None:
        """Start the person's wait: their question was answered."""
        if self._buckets is None:
            return
        now = self.clock()
        bucket = self._buckets.get_bucket(user_id, now)
        if bucket is not None:
            bucket.update_rate_limit(now)


def _by_person(user_id: int) -> int:
    return user_id


def shares_question_cooldown(
    callback: Callable[Concatenate[S, discord.Interaction[Any], P], Awaitable[R]],
) -> Callable[Concatenate[S, discord.Interaction[Any], P], Awaitable[R | None]]:
    """Hold a button's search behind the asker's question cooldown, and start it when the
    search was answered (an error on the way starts nothing); the wait is told in the
    button's `language` (its question's), else the clicker's locale."""

    @functools.wraps(callback)
    async def held(self: S, interaction: discord.Interaction[Any], *args: P.args,
                   **kwargs: P.kwargs) -> R | None:
        cooldown: QuestionCooldown = interaction.client.cooldown
        wait = cooldown.retry_after(interaction.user.id)
        if wait:
            language = getattr(self, "language", None) or locale_language(
                str(interaction.locale.value if interaction.locale else ""))
            await interaction.response.send_message(cooldown_message(wait, language),
                                                    ephemeral=True, allowed_mentions=NO_PINGS)
            return None
        result = await callback(self, interaction, *args, **kwargs)
        cooldown.start(interaction.user.id)
        return result

    return held
