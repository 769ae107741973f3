"""The modal that saves an answer as curated: a bot answer, or one written for an unanswered ask,
with the days it cites shown and editable."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord

from bot.utils.checks import ensure_maintainer
from bot.utils.interaction_errors import AnsweringModal
from bot.utils.messages import NO_PINGS, cut, no_pings
from bot.utils.spaces import interaction_space
from knowledge.errors import CurationError

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

QUESTION_MAX = 1000
ANSWER_MAX = 4000  # Discord's limit for a text input
CITES_MAX = 1000


def cite_lines(text: str) -> list[str]:
    """The cited days of the form: one a line, blank lines and repeats dropped."""
    cites: list[str] = []
    for line in text.splitlines():
        if line.strip() and line.strip() not in cites:
            cites.append(line.strip())
    return cites


class PromoteModal(AnsweringModal):
    """Question, answer and cited days, prefilled, to edit and save as a curated answer."""

    def __init__(self, *, ask_ids: list[int], question: str, answer: str = "",
                 cites: list[str] | None = None, space: str) -> None:
        super().__init__(title="Save as curated · 큐레이션 저장", timeout=900)
        self.ask_ids = ask_ids
        self.space = space  # the space of the answer (or unanswered list) it was opened on
        self.question: discord.ui.TextInput[PromoteModal] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph, max_length=QUESTION_MAX,
            default=cut(question, QUESTION_MAX) or None,
        )
        self.answer: discord.ui.TextInput[PromoteModal] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph, max_length=ANSWER_MAX,
            default=cut(answer, ANSWER_MAX) or None,
            placeholder="campers will see this answer · 캠퍼들이 보게 될 답변",
        )
        self.cites: discord.ui.TextInput[PromoteModal] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph, required=False, max_length=CITES_MAX,
            default=cut("\n".join(cites or []), CITES_MAX) or None,
            placeholder="week2.md · Day 8 (one a line · 한 줄에 하나)",
        )
        self.add_item(discord.ui.Label(text="Question · 질문", component=self.question))
        self.add_item(discord.ui.Label(text="Answer · 답변", component=self.answer))
        self.add_item(discord.ui.Label(text="Cited days · 출처", component=self.cites))

    async def on_submit(self, interaction: discord.Interaction[SunbaeBot]) -> None:
        """Promote the first ask with the edited texts; alike asks are resolved with it."""
        bot = interaction.client
        # Checked again: the modal could outlive the member's maintainer role; and it saves
        # only into the space it was opened in, from that space's server.
        if (await interaction_space(interaction) != self.space
                or not await ensure_maintainer(interaction, bot.discord_settings)):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            view = await asyncio.to_thread(
                bot.core.promote_citing, self.ask_ids[0],
                author=interaction.user.display_name, cites=cite_lines(self.cites.value),
                answer=self.answer.value, question=self.question.value, space=self.space,
            )
        except CurationError as exc:
            await interaction.followup.send(no_pings(f"⚠️ {exc}"), ephemeral=True,
                                            allowed_mentions=NO_PINGS)
            return
        if len(self.ask_ids) > 1:
            await asyncio.to_thread(bot.core.resolve, self.ask_ids[1:], space=self.space)
        await interaction.followup.send(
            no_pings(f"✅ 큐레이션 답변 `{view.slug}`으로 저장했어요. (Saved as curated "
                     f"`{view.slug}`; the same question now gets this answer.)"),
            ephemeral=True, allowed_mentions=NO_PINGS,
        )
