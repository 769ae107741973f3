"""Right-click a message: ask Sunbae about it, or save a camper's reply as a curated answer."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answer_labels import labels_for
from bot.exts.ask._cog import answer_interaction
from bot.exts.ask._context import thread_context
from bot.exts.ask._language import interaction_language
from bot.exts.ask._routing import has_words, question_text, replied_to
from bot.exts.curate._modals import ANSWER_MAX, QUESTION_MAX, CuratedAnswerModal
from bot.utils.checks import ensure_maintainer
from bot.utils.messages import NO_PINGS, cut
from bot.utils.spaces import interaction_space

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

# Maintainer-facing: stays bilingual.
NOT_A_REPLY = ("스레드 안에서 캠퍼가 쓴 답글에만 쓸 수 있어요. "
               "(Use this on a camper's reply inside a thread.)")


async def thread_question(thread: discord.Thread) -> str:
    """The thread's first message (a forum post's is inside it, a message thread's is in its
    channel), or its name when that message is gone."""
    holders: list[discord.abc.Messageable] = [thread]
    if isinstance(thread.parent, discord.TextChannel):
        holders.append(thread.parent)
    for holder in holders:
        with contextlib.suppress(discord.HTTPException):
            starter = await holder.fetch_message(thread.id)
            return one_line_question(starter.content, thread)
    return thread.name


def one_line_question(content: str, thread: discord.Thread) -> str:
    """A starter message as a question (Sunbae's mention out), or the thread's name."""
    me = thread.guild.me
    text = question_text(content, me.id) if me is not None else " ".join(content.split())
    return text or thread.name


class ContextMenusCog(commands.Cog):
    """"Ask Sunbae" on any message; "Save as curated answer" on a reply in a thread."""

    def __init__(self, bot: SunbaeBot) -> None:
        self.bot = bot
        save = app_commands.ContextMenu(name="Save as curated answer",
                                        callback=self.save_curated)
        # Maintainers only: hidden from campers by default (the callback checks again).
        save.default_permissions = discord.Permissions(manage_guild=True)
        save.guild_only = True
        self.menus = [app_commands.ContextMenu(name="Ask Sunbae", callback=self.ask_sunbae),
                      save]
        for menu in self.menus:
            bot.tree.add_command(menu)

    async def cog_unload(self) -> None:
        """Take the menus off the tree with the cog."""
        for menu in self.menus:
            self.bot.tree.remove_command(menu.name, type=menu.type)

    async def ask_sunbae(self, interaction: discord.Interaction[SunbaeBot],
                         message: discord.Message) -> None:
        """Answer the message's text, visible only to the person who asked; in a Sunbae
        thread (or on a Reply to a Sunbae answer) with the thread's context, as a follow-up."""
        space = await interaction_space(interaction)
        if space is None:
            return
        me = self.bot.user
        question = question_text(message.content, me.id) if me else message.content
        if not has_words(question):
            # No question to read a language from: the clicker's Discord language.
            words = labels_for(interaction_language(interaction))
            await interaction.response.send_message(words.nothing_to_ask, ephemeral=True,
                                                    allowed_mentions=NO_PINGS)
            return
        context = await thread_context(
            self.bot, message.channel, space, guild_id=interaction.guild_id,
            bot_id=me.id if me else None, answered=replied_to(message, me.id) if me else None)
        await answer_interaction(self.bot, interaction, question, space, ephemeral=True,
                                 context=context)

    async def save_curated(self, interaction: discord.Interaction[SunbaeBot],
                           message: discord.Message) -> None:
        """Open the curated form with the thread's first message as the question and this
        reply as the answer (maintainers only)."""
        if not await ensure_maintainer(interaction, self.bot.discord_settings):
            return
        space = await interaction_space(interaction)
        if space is None:
            return
        thread = message.channel
        if (not isinstance(thread, discord.Thread) or message.author.bot
                or message.id == thread.id or not has_words(message.content)):
            await interaction.response.send_message(NOT_A_REPLY, ephemeral=True,
                                                    allowed_mentions=NO_PINGS)
            return
        modal = CuratedAnswerModal(space=space)
        modal.question.default = cut(await thread_question(thread), QUESTION_MAX)
        modal.answer.default = cut(message.content, ANSWER_MAX)
        await interaction.response.send_modal(modal)
