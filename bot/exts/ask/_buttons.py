"""The buttons under every answer: 👍/👎, "More sources" and "Save as curated".

They are dynamic items: the ask id lives in the custom id, so a button on an answer sent before
a restart still works.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.exts.ask._reasons import ASK_WHY, reasons_view
from bot.exts.curate._cards import cards_of
from bot.utils.answer_embeds import more_sources_embed
from bot.utils.checks import ensure_maintainer, person_key, shares_question_cooldown
from bot.utils.interaction_errors import answers_failures
from bot.utils.messages import NO_PINGS
from bot.utils.promote import PromoteModal
from bot.utils.spaces import interaction_space

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

VOTE_ID = r"sunbae:vote:(?P<ask_id>[0-9]+):(?P<vote>up|down)"
SOURCES_ID = r"sunbae:sources:(?P<ask_id>[0-9]+)"
CURATE_ID = r"sunbae:curate:(?P<ask_id>[0-9]+)"
GONE = "이 답변의 기록을 찾을 수 없어요. (This answer is no longer in the ask log.)"


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=VOTE_ID):
    """👍 or 👎 on an ask: one vote per person, a second click changes it."""

    def __init__(self, ask_id: int, vote: int) -> None:
        word = "up" if vote > 0 else "down"
        super().__init__(discord.ui.Button(
            style=discord.ButtonStyle.secondary, emoji="👍" if vote > 0 else "👎",
            custom_id=f"sunbae:vote:{ask_id}:{word}",
        ))
        self.ask_id = ask_id
        self.vote = 1 if vote > 0 else -1

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> VoteButton:
        """Rebuild the button from a click on any message."""
        return cls(int(match["ask_id"]), 1 if match["vote"] == "up" else -1)

    @answers_failures
    async def callback(self, interaction: discord.Interaction[SunbaeBot]) -> Any:
        """Store the vote and tell only the voter the new counts."""
        core = interaction.client.core
        space = await interaction_space(interaction)
        if space is None:
            return None
        try:
            await asyncio.to_thread(core.vote, self.ask_id, person_key(interaction.user),
                                    self.vote, space=space)
        except KeyError:  # no such ask in this server's space
            return await interaction.response.send_message(GONE, ephemeral=True,
                                                           allowed_mentions=NO_PINGS)
        up, down = await asyncio.to_thread(core.votes, self.ask_id, space=space)
        thanks = "고마워요!" if self.vote > 0 else "알려줘서 고마워요, 더 나아질게요."
        text = f"{thanks} (Thanks for the feedback.) 👍 {up} · 👎 {down}"
        if self.vote > 0:
            return await interaction.response.send_message(text, ephemeral=True,
                                                           allowed_mentions=NO_PINGS)
        await interaction.response.send_message(f"{text}\n{ASK_WHY}", ephemeral=True,
                                                view=reasons_view(self.ask_id),
                                                allowed_mentions=NO_PINGS)
        message = interaction.message
        jump = message.jump_url if isinstance(message, discord.Message) else None
        cards = cards_of(interaction.client)
        if cards is not None:
            await cards.down_voted(space, self.ask_id, jump)


class MoreSourcesButton(discord.ui.DynamicItem[discord.ui.Button], template=SOURCES_ID):
    """A wider search for the same question, shown only to the person who clicked."""

    def __init__(self, ask_id: int) -> None:
        super().__init__(discord.ui.Button(
            style=discord.ButtonStyle.secondary, emoji="📚", label="More sources",
            custom_id=f"sunbae:sources:{ask_id}",
        ))
        self.ask_id = ask_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> MoreSourcesButton:
        """Rebuild the button from a click on any message."""
        return cls(int(match["ask_id"]))

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
            return await interaction.response.send_message(GONE, ephemeral=True,
                                                           allowed_mentions=NO_PINGS)
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
            return await interaction.response.send_message(GONE, ephemeral=True,
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


def answer_view(ask_id: int | None, *, abstained: bool = False) -> discord.ui.View | None:
    """The buttons under an answer (none when the ask was not logged)."""
    if ask_id is None:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(ask_id, 1))
    view.add_item(VoteButton(ask_id, -1))
    if not abstained:
        view.add_item(MoreSourcesButton(ask_id))
    label = "Answer this" if abstained else "Save as curated"
    view.add_item(SaveCuratedButton(ask_id, label=label))
    return view
