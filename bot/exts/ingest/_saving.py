"""Storing checked notes for one interaction: ownership first, then one ingest, then a report."""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING

import discord

from bot.exts.ingest._notes import check_ownership, report_text
from bot.utils.checks import is_maintainer, person_key
from bot.utils.messages import MESSAGE_LIMIT, NO_PINGS, cut, no_pings
from bot.utils.spaces import interaction_space
from bot.utils.upload_limits import upload_refusal
from knowledge.errors import UnreadableNote
from knowledge.views import IngestAllowance, NoteFile

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

NOTHING_STORED = "아무것도 저장하지 않았어요. (Nothing was stored.)"


async def tell(interaction: discord.Interaction, text: str) -> None:
    """An ephemeral line to the person who ran the command, whatever state the reply is in."""
    send = (interaction.followup.send if interaction.response.is_done()
            else interaction.response.send_message)
    await send(cut(no_pings(text), MESSAGE_LIMIT), ephemeral=True, allowed_mentions=NO_PINGS)


async def reserve_upload(interaction: discord.Interaction[SunbaeBot],
                         nbytes: int) -> IngestAllowance | None:
    """Count an upload against the person's cooldown (maintainers skip it) and the server's
    hourly quota; None after telling the person when they can try again."""
    core = interaction.client.core
    space = await interaction_space(interaction)
    if space is None:
        return None
    maintainer = is_maintainer(interaction.user, interaction.client.discord_settings)
    allowance = await asyncio.to_thread(functools.partial(
        core.reserve_upload, nbytes, user=person_key(interaction.user), space=space,
        with_cooldown=not maintainer))
    if not allowance.allowed:
        await tell(interaction, upload_refusal(allowance, core.settings.ingest_bytes_per_hour))
        return None
    return allowance


async def release_upload(interaction: discord.Interaction[SunbaeBot],
                         allowance: IngestAllowance) -> None:
    """Give back a reservation when nothing was stored."""
    space = await interaction_space(interaction)
    await asyncio.to_thread(functools.partial(interaction.client.core.release_upload,
                                              allowance, space=space))


async def save_notes(interaction: discord.Interaction[SunbaeBot], notes: list[NoteFile],
                     allowance: IngestAllowance) -> None:
    """Ingest `notes` whole or not at all, and report what changed; when nothing is stored,
    the upload's reservation is given back."""
    if not await _store_notes(interaction, notes):
        await release_upload(interaction, allowance)


async def _store_notes(interaction: discord.Interaction[SunbaeBot],
                       notes: list[NoteFile]) -> bool:
    """Ingest and report; False when the notes were refused and nothing was stored."""
    core = interaction.client.core
    space = await interaction_space(interaction)
    if space is None:
        return False
    keys = [note.key for note in notes]
    if len(set(keys)) != len(keys):
        await tell(interaction, f"⚠️ 같은 이름의 노트가 두 번 있어요. (Two notes share a name.) "
                                f"{NOTHING_STORED}")
        return False
    author = person_key(interaction.user)
    maintainer = is_maintainer(interaction.user, interaction.client.discord_settings)
    ownership = await asyncio.to_thread(check_ownership, core, notes, author, maintainer,
                                        space)
    if not ownership.allowed:
        await tell(interaction, "🔒 다른 사람이 올린 노트는 올린 사람이나 메인테이너만 "
                                f"바꿀 수 있어요: {', '.join(ownership.refused)}. (Only a "
                                f"note's author or a maintainer may replace it.) "
                                f"{NOTHING_STORED}")
        return False
    try:
        # Ownership is decided again under the ingest lock: a same-named upload that landed
        # since the check above is refused, not replaced.
        report = await asyncio.to_thread(
            functools.partial(core.ingest_notes, notes, replace_others=maintainer, space=space))
    except UnreadableNote as exc:
        await tell(interaction, f"⚠️ {exc}\n{NOTHING_STORED}")
        return False
    await tell(interaction, report_text(report))
    return True
