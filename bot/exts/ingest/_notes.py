"""Notes from Discord: attachments and pasted text checked, keyed per server, and owned."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.utils.messages import cut, one_line
from knowledge.core import Sunbae
from knowledge.errors import UnreadableNote
from knowledge.notes.reading import NOTE_SUFFIXES, decode_note
from knowledge.views import IngestReport, NoteFile

NAME_LIMIT = 200
EMPTY_NOTE = "붙여넣은 글이 비어 있어요. (The pasted note is empty.)"


def note_key(guild_id: int | None, name: str) -> str:
    """The core's key of a note: one namespace per server, the file name or title inside it."""
    return f"discord:{guild_id or 'dm'}/{note_name(name)}"


def note_name(name: str) -> str:
    """A file name or title as a note name: one line, at most 200 characters."""
    return cut(one_line(name), NAME_LIMIT)


def check_attachment(attachment: discord.Attachment, max_bytes: int) -> str | None:
    """Why an attachment cannot be a note before downloading it (type, size), or None."""
    name = attachment.filename
    if not name.lower().endswith(NOTE_SUFFIXES):
        return f"{name}: only {', '.join(NOTE_SUFFIXES)} files are notes"
    if attachment.size > max_bytes:
        return (f"{name}: {attachment.size / 1e6:.1f} MB is over the "
                f"{max_bytes / 1e6:.1f} MB limit")
    return None


def request_problem(attachments: list[discord.Attachment], title: str | None,
                    text: str | None, max_bytes: int) -> str | None:
    """Why an /ingest request cannot go ahead before downloading anything, or None."""
    if text is not None and not text.strip():
        return EMPTY_NOTE
    if text is not None and not (title and title.strip()):
        return "붙여넣은 글에는 제목이 필요해요. (Pasted text needs a title.)"
    if text is None and title is not None and len(attachments) > 1:
        return ("제목은 파일 하나나 붙여넣은 글의 이름이에요: 파일 하나만 올리거나 "
                "제목을 빼 주세요. (A title names one file or the pasted text: attach one "
                "file, or leave the title out.)")
    if text is None and title is not None and not title.strip():
        return "제목이 비어 있어요. (The title is empty.)"
    # Refuse by name and size before downloading anything.
    problems = [p for p in (check_attachment(a, max_bytes) for a in attachments) if p]
    return "\n⚠️ ".join(problems) or None


async def read_attachment(attachment: discord.Attachment, *, guild_id: int | None,
                          author: str, max_bytes: int, title: str | None = None) -> NoteFile:
    """Download and decode one attachment, named by `title` when given (else its file name);
    raises UnreadableNote (not UTF-8, too big, binary)."""
    try:
        data = await attachment.read()
    except discord.HTTPException as exc:
        raise UnreadableNote(f"{attachment.filename}: download failed ({exc.status})") from exc
    text = decode_note(data, attachment.filename, max_bytes=max_bytes)
    name = title or attachment.filename
    return NoteFile(key=note_key(guild_id, name), display=note_name(name), text=text,
                    author=author)


def pasted_note(title: str, text: str, *, guild_id: int | None, author: str) -> NoteFile:
    """A note from text typed or pasted into Discord (UnreadableNote when it is blank)."""
    if not text.strip():
        raise UnreadableNote(EMPTY_NOTE)
    return NoteFile(key=note_key(guild_id, title), display=note_name(title),
                    text=text.replace("\r\n", "\n"), author=author)


@dataclass(frozen=True)
class OwnershipCheck:
    """Notes someone may not replace: they exist and belong to someone else."""

    refused: list[str]

    @property
    def allowed(self) -> bool:
        """Whether every note may be stored."""
        return not self.refused


def check_ownership(core: Sunbae, notes: list[NoteFile], author: str,
                    maintainer: bool, space: str) -> OwnershipCheck:
    """Anyone may add a note; only its author or a maintainer may replace it."""
    if maintainer:
        return OwnershipCheck([])
    refused = [note.display for note in notes
               if core.source_exists(note.key, space=space)
               and core.source_author(note.key, space=space) != author]
    return OwnershipCheck(refused)


def may_remove(core: Sunbae, key: str, author: str, maintainer: bool, space: str) -> bool:
    """Only the note's author or a maintainer may remove it."""
    return maintainer or core.source_author(key, space=space) == author


def report_text(report: IngestReport) -> str:
    """What an ingest did, file by file, for the person who ran it."""
    lines = ["📥 " + report.summary()]
    for label, names in (("added · 추가", report.added),
                         ("changed · 변경", report.changed),
                         ("unchanged · 그대로", report.unchanged),
                         ("removed · 삭제", report.removed)):
        if names:
            shown = (one_line(name).replace("`", "'") for name in names)
            lines.append(f"**{label}**: " + ", ".join(f"`{name}`" for name in shown))
    return "\n".join(lines)
