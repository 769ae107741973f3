"""The form for pasting a note: a title and the text."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.exts.ingest._notes import NAME_LIMIT, pasted_note
from bot.exts.ingest._saving import NOTHING_STORED, reserve_upload, save_notes, tell
from bot.utils.checks import person_key
from bot.utils.interaction_errors import AnsweringModal
from knowledge.errors import UnreadableNote

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot


class PastedNoteModal(AnsweringModal):
    """Title and Markdown text of a note, stored like an attached file of that name."""

    def __init__(self, *, title: str | None = None) -> None:
        super().__init__(title="Add a note · 노트 추가", timeout=900)
        self.note_title: discord.ui.TextInput[PastedNoteModal] = discord.ui.TextInput(
            max_length=NAME_LIMIT, default=title, placeholder="e.g. week3.md or 'Day 12 정리'"
        )
        self.text: discord.ui.TextInput[PastedNoteModal] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph, max_length=4000,
            placeholder="## Day 12 (11/21)\n오늘은 …",
        )
        self.add_item(discord.ui.Label(text="Title · 제목", component=self.note_title))
        self.add_item(discord.ui.Label(text="Note (Markdown) · 내용", component=self.text))

    async def on_submit(self, interaction: discord.Interaction[SunbaeBot]) -> None:
        """Store the note (the same rules as an attachment; a blank one is refused)."""
        try:
            note = pasted_note(self.note_title.value, self.text.value,
                               guild_id=interaction.guild_id,
                               author=person_key(interaction.user))
        except UnreadableNote as exc:
            await tell(interaction, f"⚠️ {exc}\n{NOTHING_STORED}")
            return
        allowance = await reserve_upload(interaction, len(note.text.encode()))
        if allowance is None:
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        await save_notes(interaction, [note], allowance)
