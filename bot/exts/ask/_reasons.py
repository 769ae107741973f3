"""Why a 👎: one tap on a reason (wrong day, outdated, did not answer), or "other" with a line.

The buttons are dynamic items (ask id and reason in the custom id), shown only to the voter.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.utils.checks import person_key
from bot.utils.messages import NO_PINGS
from bot.utils.spaces import interaction_space

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

REASON_ID = r"sunbae:why:(?P<ask_id>[0-9]+):(?P<reason>wrong_day|outdated|did_not_answer|other)"
REASONS = {"wrong_day": "📅 날짜가 틀림 · Wrong day", "outdated": "🕰️ 오래됨 · Outdated",
           "did_not_answer": "❓ 답이 아님 · Did not answer", "other": "✏️ 기타 · Other"}
ASK_WHY = "무엇이 아쉬웠나요? (선택) · What was wrong? (optional, one tap)"
NOTED = "이유를 남겼어요, 고마워요! (Reason noted, thank you.)"
NO_DOWN_VOTE = "👎 를 먼저 눌러 주세요. (Vote 👎 first; nothing was saved.)"
TEXT_MAX = 300


async def save_reason(interaction: discord.Interaction[SunbaeBot], ask_id: int, reason: str,
                      text: str | None = None) -> None:
    """Keep the reason with the person's 👎 and tell only them."""
    space = await interaction_space(interaction)
    if space is None:
        return
    try:
        await asyncio.to_thread(interaction.client.core.explain_vote, ask_id,
                                person_key(interaction.user), reason, text, space=space)
    except KeyError:  # no 👎 of theirs on that ask (changed to 👍 since, or another space)
        await interaction.response.send_message(NO_DOWN_VOTE, ephemeral=True,
                                                allowed_mentions=NO_PINGS)
        return
    await interaction.response.send_message(NOTED, ephemeral=True, allowed_mentions=NO_PINGS)


class ReasonModal(discord.ui.Modal):
    """"Other": one short line saying what was wrong."""

    def __init__(self, ask_id: int) -> None:
        super().__init__(title="What was wrong? · 무엇이 아쉬웠나요?", timeout=600)
        self.ask_id = ask_id
        self.text: discord.ui.TextInput[ReasonModal] = discord.ui.TextInput(
            style=discord.TextStyle.short, max_length=TEXT_MAX, required=False,
            placeholder="e.g. it cites week 1, the answer is in week 2")
        self.add_item(discord.ui.Label(text="Reason · 이유", component=self.text))

    async def on_submit(self, interaction: discord.Interaction[SunbaeBot]) -> None:
        """Store "other" with what was written."""
        await save_reason(interaction, self.ask_id, "other", self.text.value)


class ReasonButton(discord.ui.DynamicItem[discord.ui.Button], template=REASON_ID):
    """One reason for a 👎; "other" opens a one-line form."""

    def __init__(self, ask_id: int, reason: str) -> None:
        super().__init__(discord.ui.Button(style=discord.ButtonStyle.secondary,
                                           label=REASONS[reason],
                                           custom_id=f"sunbae:why:{ask_id}:{reason}"))
        self.ask_id = ask_id
        self.reason = reason

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> ReasonButton:
        """Rebuild the button from a click."""
        return cls(int(match["ask_id"]), match["reason"])

    async def callback(self, interaction: discord.Interaction[SunbaeBot]) -> Any:
        """Save the reason, or ask for a line first for "other"."""
        if self.reason == "other":
            return await interaction.response.send_modal(ReasonModal(self.ask_id))
        await save_reason(interaction, self.ask_id, self.reason)


def reasons_view(ask_id: int) -> discord.ui.View:
    """The reason buttons under the thanks for a 👎."""
    view = discord.ui.View(timeout=None)
    for reason in REASONS:
        view.add_item(ReasonButton(ask_id, reason))
    return view
