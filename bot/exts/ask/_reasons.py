"""Why a 👎: one tap on a reason (wrong day, outdated, did not answer), or "other" with a line.

The buttons are dynamic items (ask id and reason in the custom id), shown only to the voter.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.answer_labels import REASON_KEYS, labels_for
from bot.exts.ask._language import interaction_language
from bot.utils.checks import person_key
from bot.utils.messages import NO_PINGS
from bot.utils.spaces import interaction_space

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

# The question's language rides in the custom id (ids without one: the clicker's locale).
REASON_ID = (r"sunbae:why:(?P<ask_id>[0-9]+):(?P<reason>wrong_day|outdated|did_not_answer|other)"
             r"(?::(?P<language>ko|en))?")
TEXT_MAX = 300


async def save_reason(interaction: discord.Interaction[SunbaeBot], ask_id: int, reason: str,
                      text: str | None = None, *, language: str | None = None) -> None:
    """Keep the reason with the person's 👎 and tell only them, in the question's language."""
    words = labels_for(language or interaction_language(interaction))
    space = await interaction_space(interaction)
    if space is None:
        return
    try:
        await asyncio.to_thread(interaction.client.core.explain_vote, ask_id,
                                person_key(interaction.user), reason, text, space=space)
    except KeyError:  # no 👎 of theirs on that ask (changed to 👍 since, or another space)
        await interaction.response.send_message(words.vote_down_first, ephemeral=True,
                                                allowed_mentions=NO_PINGS)
        return
    await interaction.response.send_message(words.reason_noted, ephemeral=True,
                                            allowed_mentions=NO_PINGS)


class ReasonModal(discord.ui.Modal):
    """"Other": one short line saying what was wrong."""

    def __init__(self, ask_id: int, language: str | None = None) -> None:
        words = labels_for(language)
        super().__init__(title=words.reason_title, timeout=600)
        self.ask_id = ask_id
        self.language = language
        self.text: discord.ui.TextInput[ReasonModal] = discord.ui.TextInput(
            style=discord.TextStyle.short, max_length=TEXT_MAX, required=False,
            placeholder=words.reason_placeholder)
        self.add_item(discord.ui.Label(text=words.reason_label, component=self.text))

    async def on_submit(self, interaction: discord.Interaction[SunbaeBot]) -> None:
        """Store "other" with what was written."""
        await save_reason(interaction, self.ask_id, "other", self.text.value,
                          language=self.language)


class ReasonButton(discord.ui.DynamicItem[discord.ui.Button], template=REASON_ID):
    """One reason for a 👎; "other" opens a one-line form."""

    def __init__(self, ask_id: int, reason: str, language: str | None = None) -> None:
        suffix = f":{language}" if language else ""
        super().__init__(discord.ui.Button(style=discord.ButtonStyle.secondary,
                                           label=labels_for(language).reasons[reason],
                                           custom_id=f"sunbae:why:{ask_id}:{reason}{suffix}"))
        self.ask_id = ask_id
        self.reason = reason
        self.language = language

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> ReasonButton:
        """Rebuild the button from a click."""
        return cls(int(match["ask_id"]), match["reason"], match["language"])

    async def callback(self, interaction: discord.Interaction[SunbaeBot]) -> Any:
        """Save the reason, or ask for a line first for "other"."""
        language = self.language or interaction_language(interaction)
        if self.reason == "other":
            return await interaction.response.send_modal(ReasonModal(self.ask_id, language))
        await save_reason(interaction, self.ask_id, self.reason, language=language)


def reasons_view(ask_id: int, language: str | None = None) -> discord.ui.View:
    """The reason buttons under the thanks for a 👎, in the question's language."""
    view = discord.ui.View(timeout=None)
    for reason in REASON_KEYS:
        view.add_item(ReasonButton(ask_id, reason, language))
    return view
