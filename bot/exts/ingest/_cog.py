"""The ingest cog: /ingest adds or updates notes, /forget removes one."""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.ingest._notes import (
    may_remove,
    note_key,
    note_name,
    pasted_note,
    read_attachment,
    request_problem,
)
from bot.exts.ingest._paste_modal import PastedNoteModal
from bot.exts.ingest._saving import (
    NOTHING_STORED,
    release_upload,
    reserve_upload,
    save_notes,
    tell,
)
from bot.utils.checks import is_maintainer, person_key
from bot.utils.messages import cut
from bot.utils.spaces import interaction_space, space_for
from knowledge.errors import UnreadableNote
from knowledge.views import NoteFile

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

CHOICE_LIMIT = 25  # Discord shows at most 25 autocomplete choices


class IngestCog(commands.Cog):
    """Campers add their notes; a note's author or a maintainer replaces or removes it."""

    def __init__(self, bot: SunbaeBot) -> None:
        self.bot = bot

    @app_commands.command(name="ingest", description="Add or update notes · 노트 추가/갱신")
    @app_commands.guild_only()
    @app_commands.describe(
        file="A .md or .txt note in UTF-8", file2="Another note", file3="Another note",
        title="Title of pasted text", text="Pasted note text (leave empty for a form)",
    )
    async def ingest(
        self,
        interaction: discord.Interaction[SunbaeBot],
        file: discord.Attachment | None = None,
        file2: discord.Attachment | None = None,
        file3: discord.Attachment | None = None,
        title: app_commands.Range[str, 1, 200] | None = None,
        text: app_commands.Range[str, 1, 6000] | None = None,
    ) -> None:
        """Store attachments and/or pasted text in one go; any unreadable file stops it all.

        `title` names the pasted text; with no text and one file, it names that file's note
        (a title with several files and no text is refused: it could name any of them)."""
        if await interaction_space(interaction) is None:
            return
        attachments = [a for a in (file, file2, file3) if a is not None]
        if not attachments and text is None:
            await interaction.response.send_modal(PastedNoteModal(title=title))
            return
        problem = request_problem(attachments, title, text,
                                  self.bot.discord_settings.max_attachment_bytes)
        if problem:
            await tell(interaction, f"⚠️ {problem}\n{NOTHING_STORED}")
            return
        nbytes = sum(a.size for a in attachments) + len((text or "").encode())
        allowance = await reserve_upload(interaction, nbytes)
        if allowance is None:
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            notes = await self._read_notes(interaction, attachments, title, text)
        except UnreadableNote as exc:
            await release_upload(interaction, allowance)
            await tell(interaction, f"⚠️ {exc}\n{NOTHING_STORED}")
            return
        await save_notes(interaction, notes, allowance)

    async def _read_notes(self, interaction: discord.Interaction[SunbaeBot],
                          attachments: list[discord.Attachment], title: str | None,
                          text: str | None) -> list[NoteFile]:
        """Download the attachments and add the pasted text (raises UnreadableNote)."""
        author = person_key(interaction.user)
        max_bytes = self.bot.discord_settings.max_attachment_bytes
        # A title without pasted text names the one attached file's note.
        file_title = title if text is None else None
        notes = [await read_attachment(attachment, guild_id=interaction.guild_id, author=author,
                                       max_bytes=max_bytes, title=file_title)
                 for attachment in attachments]
        if text is not None and title:
            notes.append(pasted_note(title, text, guild_id=interaction.guild_id, author=author))
        return notes

    @app_commands.command(name="forget", description="Remove a note you added · 노트 삭제")
    @app_commands.guild_only()
    @app_commands.describe(name="The note's file name or title, as it was added")
    async def forget(self, interaction: discord.Interaction[SunbaeBot],
                     name: app_commands.Range[str, 1, 200]) -> None:
        """Remove one note of this server; only its author or a maintainer may."""
        core = self.bot.core
        space = await interaction_space(interaction)
        if space is None:
            return
        key = note_key(interaction.guild_id, name)
        if not await asyncio.to_thread(core.source_exists, key, space=space):
            await tell(interaction, f"'{note_name(name)}'라는 노트가 없어요. (No such note.)")
            return
        maintainer = is_maintainer(interaction.user, self.bot.discord_settings)
        if not await asyncio.to_thread(may_remove, core, key, person_key(interaction.user),
                                       maintainer, space):
            await tell(interaction, "🔒 노트를 올린 사람이나 메인테이너만 지울 수 있어요. "
                                    "(Only the note's author or a maintainer may remove it.)")
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        await asyncio.to_thread(core.remove_source, key, space=space)
        await tell(interaction, f"🗑️ '{note_name(name)}'를 지웠어요. (Removed.)")

    @forget.autocomplete("name")
    async def own_notes(self, interaction: discord.Interaction[SunbaeBot],
                        current: str) -> list[app_commands.Choice[str]]:
        """This server's notes whose name holds what was typed: a camper's own, a
        maintainer's pick of all."""
        space = space_for(interaction.guild_id, self.bot.discord_settings)
        if space is None or interaction.guild_id is None:
            return []
        prefix = note_key(interaction.guild_id, "")
        maintainer = is_maintainer(interaction.user, self.bot.discord_settings)
        keys = await asyncio.to_thread(functools.partial(
            self.bot.core.note_keys, prefix, current,
            author=None if maintainer else person_key(interaction.user), space=space,
            limit=CHOICE_LIMIT))
        names = [key.removeprefix(prefix) for key in keys]
        return [app_commands.Choice(name=cut(name, 100), value=name)
                for name in names if len(name) <= 100]
