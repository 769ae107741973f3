"""The form for a curated answer: question, answer, other phrasings and cited days."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord

from bot.utils.checks import ensure_maintainer
from bot.utils.interaction_errors import AnsweringModal
from bot.utils.messages import NO_PINGS, no_pings
from bot.utils.spaces import interaction_space
from knowledge.errors import CurationError
from knowledge.views import CuratedView

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

ANSWER_MAX = 4000  # Discord's limit for one text input
QUESTION_MAX = 1000
PARAPHRASES_MAX = 2000
CITES_MAX = 1000


def fits_the_form(view: CuratedView) -> bool:
    """Whether every text of a curated answer fits its input (else saving would shorten it)."""
    return (len(view.question) <= QUESTION_MAX and len(view.answer) <= ANSWER_MAX
            and len("\n".join(view.paraphrases)) <= PARAPHRASES_MAX
            and len("\n".join(view.cites)) <= CITES_MAX)


def lines(text: str) -> list[str]:
    """One item a line, blank lines dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class CuratedAnswerModal(AnsweringModal):
    """Adds a curated answer, or edits the one named `slug` (prefilled with its texts)."""

    def __init__(self, current: CuratedView | None = None, *, space: str) -> None:
        verb = "Edit" if current else "Add"
        super().__init__(title=f"{verb} a curated answer · 큐레이션", timeout=900)
        self.space = space  # the server's space the form was opened in
        self.slug = current.slug if current else None
        self.question: discord.ui.TextInput[CuratedAnswerModal] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph, max_length=QUESTION_MAX,
            default=current.question if current else None)
        self.answer: discord.ui.TextInput[CuratedAnswerModal] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph, max_length=ANSWER_MAX,
            default=current.answer if current else None)
        self.paraphrases: discord.ui.TextInput[CuratedAnswerModal] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph, required=False, max_length=PARAPHRASES_MAX,
            default="\n".join(current.paraphrases) if current else None,
            placeholder="one a line · 한 줄에 하나")
        self.cites: discord.ui.TextInput[CuratedAnswerModal] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph, required=False, max_length=CITES_MAX,
            default="\n".join(current.cites) if current else None,
            placeholder="week2.md · Day 8")
        self.add_item(discord.ui.Label(text="Question · 질문", component=self.question))
        self.add_item(discord.ui.Label(text="Answer · 답변", component=self.answer))
        self.add_item(discord.ui.Label(text="Other phrasings · 다른 표현",
                                       component=self.paraphrases))
        self.add_item(discord.ui.Label(text="Cited days · 출처", component=self.cites))

    async def on_submit(self, interaction: discord.Interaction[SunbaeBot]) -> None:
        """Save through the core; its refusal (duplicate, empty text) is shown as is."""
        bot = interaction.client
        if (await interaction_space(interaction) != self.space
                or not await ensure_maintainer(interaction, bot.discord_settings)):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        author = interaction.user.display_name
        try:
            if self.slug is None:
                view = await asyncio.to_thread(
                    bot.core.add_curated, question=self.question.value,
                    answer=self.answer.value, author=author,
                    paraphrases=lines(self.paraphrases.value), cites=lines(self.cites.value),
                    space=self.space)
                done = f"✅ added `{view.slug}`"
            else:
                view = await asyncio.to_thread(
                    bot.core.edit_curated, self.slug, author=author,
                    question=self.question.value, answer=self.answer.value,
                    paraphrases=lines(self.paraphrases.value), cites=lines(self.cites.value),
                    space=self.space)
                done = f"✅ edited `{view.slug}` (now v{view.version})"
        except CurationError as exc:
            done = f"⚠️ {exc}"
        await interaction.followup.send(no_pings(done), ephemeral=True, allowed_mentions=NO_PINGS)
