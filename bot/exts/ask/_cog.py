"""The ask cog: turns /ask and messages into core questions, and answers into replies."""

from __future__ import annotations

import contextlib
import functools
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answer_labels import could_not_answer, labels_for
from bot.exts.ask._context import thread_context
from bot.exts.ask._replies import EMPTY_MENTION, send_answer
from bot.exts.ask._routing import (
    Route,
    has_words,
    question_text,
    replied_to,
    route_message,
    thread_name,
)
from bot.exts.channels._modes import ModeBook
from bot.exts.curate._cards import maintainers_card
from bot.utils.checks import cooldown_message, person_key, place_key
from bot.utils.messages import NO_PINGS, no_pings
from bot.utils.spaces import interaction_space, space_for
from knowledge.conversation import Conversation
from knowledge.errors import EmptyQuestion, StoreUnavailable
from knowledge.language import question_language
from knowledge.views import Answer

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

log = logging.getLogger(__name__)


class AskCog(commands.Cog):
    """Questions by slash command, by mention (answered in a thread) and in Sunbae's threads."""

    def __init__(self, bot: SunbaeBot) -> None:
        self.bot = bot

    @app_commands.command(name="ask", description="Ask about the study journals · 선배에게 질문")
    @app_commands.describe(question="What do you want to know? · 궁금한 것")
    async def ask(self, interaction: discord.Interaction[SunbaeBot],
                  question: app_commands.Range[str, 1, 2000]) -> None:
        """Answer in an embed with citations and feedback buttons."""
        space = await interaction_space(interaction)
        if space is None:
            return
        await answer_interaction(self.bot, interaction, question, space)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Mentions, Sunbae's own threads and (when enabled) Q&A channels."""
        me = self.bot.user
        if me is None:
            return
        settings = self.bot.discord_settings
        space = space_for(message.guild.id if message.guild else None, settings)
        route = route_message(message, bot_id=me.id, settings=settings,
                              mode=await self._mode(message, space))
        if route is None:
            return
        if space is None:
            if message.guild is None:  # a DM, and no space answers DMs: say so, in its language
                await message.reply(labels_for(question_language(message.content)).dm_refused,
                                    allowed_mentions=NO_PINGS)
            return
        question = question_text(message.content, me.id)
        if not has_words(question):
            if me.id in message.raw_mentions:
                await message.reply(EMPTY_MENTION, allowed_mentions=NO_PINGS)
            return
        wait = self.bot.cooldown.retry_after(message.author.id)
        if wait:
            await message.reply(cooldown_message(wait, question_language(question)),
                                allowed_mentions=NO_PINGS)
            return
        destination = await self._destination(message, route, question)
        # A typing indicator is a courtesy, not worth failing the answer over.
        with contextlib.suppress(discord.HTTPException):
            await destination.typing()
        context = await self._context(message, me.id, space)
        answer = await self._answer(message, question, space, getattr(destination, "id", None),
                                    context)
        if isinstance(answer, str):
            await destination.send(answer, allowed_mentions=NO_PINGS)
            return
        self.bot.cooldown.start(message.author.id)
        sent = await send_answer(destination.send, answer)
        await maintainers_card(self.bot, space, answer, sent)

    async def _mode(self, message: discord.Message, space: str | None) -> str | None:
        """The stored mode of the message's channel (its thread's channel or forum)."""
        modes = getattr(self.bot.get_cog("ChannelsCog"), "modes", None)
        if space is None or message.guild is None or not isinstance(modes, ModeBook):
            return None
        return await modes.stored(
            space, getattr(message.channel, "parent_id", None) or message.channel.id)

    async def _destination(self, message: discord.Message, route: Route,
                           question: str) -> discord.abc.Messageable:
        """A new thread on the question, or the message's own channel."""
        if route is Route.NEW_THREAD and isinstance(message.channel, discord.TextChannel):
            try:
                return await message.create_thread(name=thread_name(question),
                                                   auto_archive_duration=1440)
            except discord.HTTPException as exc:
                # Missing "Create Public Threads": still answer, right where we were asked.
                log.warning("could not open a thread in #%s (%s); answering in place",
                            message.channel, exc.status)
        return message.channel

    async def _context(self, message: discord.Message, bot_id: int,
                       space: str) -> Conversation | None:
        """What a follow-up is asked in: the answer of Sunbae's it replies to, or its thread's
        earlier questions (logged under the thread); None for a question on its own."""
        return await thread_context(self.bot, message.channel, space,
                                    guild_id=message.guild.id if message.guild else None,
                                    bot_id=bot_id, answered=replied_to(message, bot_id))

    async def _answer(self, message: discord.Message, question: str, space: str,
                      answered_in: int | None = None,
                      context: Conversation | None = None) -> Answer | str:
        """The core's answer, or the reply to send instead when the core failed; logged under
        the place the answer goes (a new thread: the thread, so follow-ups find it)."""
        guild_id = message.guild.id if message.guild else None
        try:
            return await self.bot.core.ask_async(
                question, space=space, user=person_key(message.author),
                channel=place_key(guild_id, answered_in or message.channel.id), context=context,
            )
        except StoreUnavailable as exc:
            log.warning("database unreachable while answering: %s", exc.detail)
            return could_not_answer(exc, question)
        except Exception:
            log.exception("answering a message failed")
            return labels_for(question_language(question)).failed


async def answer_interaction(bot: SunbaeBot, interaction: discord.Interaction[SunbaeBot],
                             question: str, space: str, *, ephemeral: bool = False,
                             context: Conversation | None = None) -> None:
    """Ask for an interaction (/ask, the "Ask Sunbae" menu; `context`: the thread it is asked
    in): the question cooldown checked, then started only once a valid question was answered;
    an abstention shown to everyone also becomes a card for the maintainers (an ephemeral one
    has nothing to jump to)."""
    wait = bot.cooldown.retry_after(interaction.user.id)
    if wait:
        await interaction.response.send_message(
            cooldown_message(wait, question_language(question)), ephemeral=True,
            allowed_mentions=NO_PINGS)
        return
    # Discord gives three seconds for a first response; a question can take longer.
    # Each call as plain as it can be: a public answer passes no `ephemeral` at all.
    private = {"ephemeral": True} if ephemeral else {}
    await interaction.response.defer(thinking=True, **private)
    reply = functools.partial(interaction.followup.send, **private)
    try:
        answer = await bot.core.ask_async(
            question, space=space, user=person_key(interaction.user),
            channel=place_key(interaction.guild_id, interaction.channel_id), context=context,
        )
    except (EmptyQuestion, StoreUnavailable) as exc:
        await reply(no_pings(could_not_answer(exc, question)), allowed_mentions=NO_PINGS)
        return
    bot.cooldown.start(interaction.user.id)  # only a valid, answered question waits
    sent = await send_answer(reply, answer)
    if not ephemeral:
        await maintainers_card(bot, space, answer, sent)
