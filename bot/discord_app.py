"""The Discord bot: the Bot class that loads the extensions, and `run_bot` that runs it."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts import EXTENSIONS
from bot.settings import DiscordSettings
from bot.utils.checks import QuestionCooldown
from bot.utils.interaction_errors import answer_failure
from bot.utils.log_redaction import install_token_redaction
from bot.utils.messages import NO_PINGS
from bot.utils.translations import KoreanTranslator
from knowledge.settings import Settings

if TYPE_CHECKING:
    from knowledge.core import Sunbae

log = logging.getLogger("sunbae.discord")


def bot_intents() -> discord.Intents:
    """Guilds and messages, plus message content: questions are read from mentions."""
    intents = discord.Intents.default()
    intents.message_content = True
    intents.presences = False
    intents.members = False
    return intents


class SunbaeBot(commands.Bot):
    """Sunbae on Discord: a thin layer that turns events into calls on the core."""

    def __init__(self, core: Sunbae, discord_settings: DiscordSettings) -> None:
        super().__init__(
            # Unused: on_message below never runs prefix commands (questions are not commands).
            command_prefix=commands.when_mentioned,
            intents=bot_intents(),
            allowed_mentions=NO_PINGS,
            help_command=None,
        )
        self.core = core
        self.discord_settings = discord_settings
        self.cooldown = QuestionCooldown(discord_settings.cooldown_seconds)
        self.tree.error(self.on_app_command_error)

    async def setup_hook(self) -> None:
        """Give the commands their Korean names, load every extension, then sync them."""
        await self.tree.set_translator(KoreanTranslator())
        await self.load_extensions()
        if self.discord_settings.sync_commands:
            await self.sync_commands()

    async def load_extensions(self) -> None:
        """Load the feature packages of bot.exts."""
        for name in EXTENSIONS:
            await self.load_extension(name)

    async def sync_commands(self) -> None:
        """Register the slash commands: on one server at once, or globally (can take an hour)."""
        guild_id = self.discord_settings.guild_id
        if guild_id:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("synced %d slash commands (%s)", len(synced), f"guild {guild_id}" if guild_id
                 else "global")

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: the ask cog's listener handles messages."""

    async def on_ready(self) -> None:
        """Say who we are once connected."""
        log.info("connected as %s to %d servers", self.user, len(self.guilds))

    async def on_app_command_error(self, interaction: discord.Interaction,
                                   error: app_commands.AppCommandError) -> None:
        """Log the error and tell only the person who ran the command ("try again shortly"
        when the database is unreachable)."""
        if isinstance(error, app_commands.CheckFailure):
            return  # a cog's interaction_check refused, and already told the person why
        name = interaction.command.qualified_name if interaction.command else "?"
        original = (error.original if isinstance(error, app_commands.CommandInvokeError)
                    else error)
        await answer_failure(interaction, original, f"/{name}")


def run_bot(core: Sunbae, settings: Settings) -> int:
    """Run the bot until it is stopped; 0 on a clean stop, 1 when Discord refused to start."""
    if settings.discord_token is None:
        print("error: set DISCORD_TOKEN (environment or .env) to run the Discord bot",
              file=sys.stderr)
        return 2
    token = settings.discord_token.get_secret_value()
    install_token_redaction(token)
    bot = SunbaeBot(core, DiscordSettings())
    core.follow()  # a CLI ingest or another shard's change reaches this bot within seconds
    try:
        # log_handler=None: discord.py logs through our handlers, which redact the token.
        bot.run(token, log_handler=None)
    except discord.LoginFailure:
        log.error("Discord refused the token in DISCORD_TOKEN; reset it in the developer portal")
        return 1
    except discord.PrivilegedIntentsRequired:
        log.error("enable the Message Content intent for the bot in the developer portal")
        return 1
    return 0
