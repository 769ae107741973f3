"""The buttons under every answer: 👍/👎, "More sources" and "Save as curated".

They are dynamic items: the ask id lives in the custom id, so a button on an answer sent before
a restart still works.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.answer_labels import ANSWER_THIS, SAVE_CURATED, labels_for, vote_thanks
from bot.exts.ask._language import interaction_language
from bot.exts.ask._reasons import reasons_view
from bot.exts.curate._cards import cards_of
from bot.utils.answer_embeds import more_sources_embed
from bot.utils.checks import ensure_maintainer, person_key, shares_question_cooldown
from bot.utils.interaction_errors import answers_failures
from bot.utils.messages import NO_PINGS
from bot.utils.promote import PromoteModal
from bot.utils.spaces import interaction_space

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

# The question's language rides at the end of a camper's button's custom id, so its replies
# need no lookup; buttons sent before it did answer in the clicker's Discord locale.
LANGUAGE = r"(?::(?P<language>ko|en))?"
VOTE_ID = r"sunbae:vote:(?P<ask_id>[0-9]+):(?P<vote>up|down)" + LANGUAGE
SOURCES_ID = r"sunbae:sources:(?P<ask_id>[0-9]+)" + LANGUAGE
CURATE_ID = r"sunbae:curate:(?P<ask_id>[0-9]+)"


def suffix(language: str | None) -> str:
    """The custom id's ending that carries the question's language (none when unknown)."""
    return f":{language}" if language else ""


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=VOTE_ID):
    """👍 or 👎 on an ask: one vote per person, a second click changes it."""

    def __init__(self, ask_id: int, vote: int, language: str | None = None) -> None:
        word = "up" if vote > 0 else "down"
        super().__init__(discord.ui.Button(
            style=discord.ButtonStyle.secondary, emoji="👍" if vote > 0 else "👎",
            custom_id=f"sunbae:vote:{ask_id}:{word}{suffix(language)}",
        ))
        self.ask_id = ask_id
        self.vote = 1 if vote > 0 else -1
        self.language = language

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> VoteButton:
        """Rebuild the button from a click on any message."""
        return cls(int(match["ask_id"]), 1 if match["vote"] == "up" else -1, match["language"])

    @answers_failures
    async def callback(self, interaction: discord.Interaction[SunbaeBot]) -> Any:
        """Store the vote and tell only the voter the new counts, in the question's language."""
        core = interaction.client.core
        language = self.language or interaction_language(interaction)
        space = await interaction_space(interaction)
        if space is None:
            return None
        try:
            await asyncio.to_thread(core.vote, self.ask_id, person_key(interaction.user),
                                    self.vote, space=space)
        except KeyError:  # no such ask in this server's space
            return await interaction.response.send_message(
                labels_for(language).gone, ephemeral=True, allowed_mentions=NO_PINGS)
        up, down = await asyncio.to_thread(core.votes, self.ask_id, space=space)
        text = vote_thanks(language, self.vote, up, down)
        if self.vote > 0:
            return await interaction.response.send_message(text, ephemeral=True,
                                                           allowed_mentions=NO_PINGS)
        await interaction.response.send_message(f"{text}\n{labels_for(language).ask_why}",
                                                ephemeral=True,
                                                view=reasons_view(self.ask_id, language),
                                                allowed_mentions=NO_PINGS)
        message = interaction.message
        jump = message.jump_url if isinstance(message, discord.Message) else None
        cards = cards_of(interaction.client)
        if cards is not None:
            await cards.down_voted(space, self.ask_id, jump)


class MoreSourcesButton(discord.ui.DynamicItem[discord.ui.Button], template=SOURCES_ID):
    """A wider search for the same question, shown only to the person who clicked."""

    def __init__(self, ask_id: int, language: str | None = None) -> None:
        super().__init__(discord.ui.Button(
            style=discord.ButtonStyle.secondary, emoji="📚",
            label=labels_for(language).more_sources,
            custom_id=f"sunbae:sources:{ask_id}{suffix(language)}",
        ))
        self.ask_id = ask_id
        self.language = language

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> MoreSourcesButton:
        """Rebuild the button from a click on any message."""
        return cls(int(match["ask_id"]), match["language"])

    @answers_failures
    @shares_question_cooldown
    async def callback(self, interaction: discord.Interaction[SunbaeBot]) -> Any:
        """Ask again with more citations, not logged as a new ask."""
        bot = interaction.client
        space = await interaction_space(interaction)
        if space is None:
            return None
        ask = await asyncio.to_thread(bot.core.get_ask, self.ask_id, space=space)
        if ask is None:
            language = self.language or interaction_language(interaction)
            return await interaction.response.send_message(
                labels_for(language).gone, ephemeral=True, allowed_mentions=NO_PINGS)
        await interaction.response.defer(ephemeral=True, thinking=True)
        answer = await bot.core.ask_async(
            ask.question, space=space, max_citations=bot.discord_settings.more_sources,
            record=False,
        )
        await interaction.followup.send(embed=more_sources_embed(answer), ephemeral=True,
                                        allowed_mentions=NO_PINGS)


class SaveCuratedButton(discord.ui.DynamicItem[discord.ui.Button], template=CURATE_ID):
    """Maintainers only: a modal prefilled with the question and answer, saved as curated."""

    def __init__(self, ask_id: int, *, label: str = "Save as curated") -> None:
        super().__init__(discord.ui.Button(
            style=discord.ButtonStyle.success, emoji="📝", label=label,
            custom_id=f"sunbae:curate:{ask_id}",
        ))
        self.ask_id = ask_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> SaveCuratedButton:
        """Rebuild the button from a click on any message."""
        return cls(int(match["ask_id"]))

    @answers_failures
    async def callback(self, interaction: discord.Interaction[SunbaeBot]) -> Any:
        """Open the modal; an abstention's answer starts empty for the maintainer to write."""
        bot = interaction.client
        # The clicker must maintain the server the answer was given in, and the ask must be
        # of that server's space: a maintainer elsewhere cannot curate this server's answers.
        space = await interaction_space(interaction)
        if space is None or not await ensure_maintainer(interaction, bot.discord_settings):
            return
        ask = await asyncio.to_thread(bot.core.get_ask, self.ask_id, space=space)
        if ask is None:
            return await interaction.response.send_message(
                labels_for(interaction_language(interaction)).gone, ephemeral=True,
                allowed_mentions=NO_PINGS)
        answer = "" if ask.outcome == "abstain" else ask.answer
        # Answering an abstention answers the alike questions asked with it too.
        ask_ids = (await asyncio.to_thread(bot.core.alike_unanswered, self.ask_id, space=space)
                   if ask.outcome == "abstain" else [self.ask_id])
        cites = await asyncio.to_thread(bot.core.ask_cites, self.ask_id, space=space)
        await interaction.response.send_modal(
            PromoteModal(ask_ids=ask_ids, question=ask.question, answer=answer,
                         cites=cites, space=space)
        )


def answer_view(ask_id: int | None, *, abstained: bool = False,
                language: str | None = None) -> discord.ui.View | None:
    """The buttons under an answer, the campers' labelled in the question's language (none
    when the ask was not logged)."""
    if ask_id is None:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(ask_id, 1, language))
    view.add_item(VoteButton(ask_id, -1, language))
    if not abstained:
        view.add_item(MoreSourcesButton(ask_id, language))
    label = ANSWER_THIS if abstained else SAVE_CURATED
    view.add_item(SaveCuratedButton(ask_id, label=label))
    return view
