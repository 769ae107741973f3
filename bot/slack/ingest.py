"""/ingest on Slack: a modal with file and text inputs; files fetched with the bot token."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp
from slack_bolt.async_app import AsyncAck, AsyncBoltContext

from bot.slack.modals import ingest_modal, metadata, values
from bot.slack.mrkdwn import cut, plain
from bot.slack.people import is_maintainer, person_key
from bot.slack.replies import tell
from bot.utils.upload_limits import upload_refusal
from knowledge.errors import UnreadableNote
from knowledge.notes.reading import NOTE_SUFFIXES, decode_note
from knowledge.views import IngestAllowance, IngestReport, NoteFile

if TYPE_CHECKING:
    from bot.slack.transport import Body, SlackTransport

NAME_LIMIT = 200
NOTHING_STORED = "아무것도 저장하지 않았어요. (Nothing was stored.)"


def note_key(team_id: str | None, name: str) -> str:
    """The core's key of a note: one namespace per workspace, the file name or title inside."""
    return f"slack:{team_id or '-'}/{note_name(name)}"


def note_name(name: str) -> str:
    """A file name or title as a note name: one line, at most 200 characters."""
    return cut(" ".join(name.split()), NAME_LIMIT)


def check_file(file: dict[str, Any], max_bytes: int) -> str | None:
    """Why a shared file cannot be a note before downloading it (type, size), or None."""
    name = str(file.get("name") or file.get("title") or "?")
    if not name.lower().endswith(NOTE_SUFFIXES):
        return f"{name}: only {', '.join(NOTE_SUFFIXES)} files are notes"
    size = int(file.get("size") or 0)
    if size > max_bytes:
        return f"{name}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit"
    return None


async def download(url: str, token: str, max_bytes: int) -> bytes:
    """A private file's bytes, read with the bot token; at most `max_bytes` + 1 are read."""
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as response:
        if response.status != 200 or response.content_type == "text/html":
            # Slack answers a refused download with its sign-in page, not an error status.
            raise UnreadableNote(f"download failed ({response.status})")
        return await response.content.read(max_bytes + 1)


async def read_file(t: SlackTransport, file: dict[str, Any], *, team: str | None,
                    author: str) -> NoteFile:
    """Download and decode one file; raises UnreadableNote (not UTF-8, too big, binary)."""
    name = str(file.get("name") or "?")
    url = file.get("url_private_download") or file.get("url_private") or ""
    max_bytes = t.settings.max_file_bytes
    try:
        data = await download(url, t.bot_token, max_bytes)
    except (aiohttp.ClientError, UnreadableNote) as exc:
        raise UnreadableNote(f"{name}: {exc}") from exc
    text = decode_note(data, name, max_bytes=max_bytes)
    return NoteFile(key=note_key(team, name), display=note_name(name), text=text, author=author)


async def on_ingest_command(t: SlackTransport, ack: AsyncAck, body: Body,
                            context: AsyncBoltContext) -> None:
    """/ingest: open the modal (a slash command cannot carry files)."""
    await ack()
    await t.client.views_open(trigger_id=body["trigger_id"],
                              view=ingest_modal(body.get("channel_id")))


async def on_ingest_submit(t: SlackTransport, ack: AsyncAck, body: Body,
                           context: AsyncBoltContext) -> None:
    """Read every file and the pasted text; any unreadable one stops it all."""
    fields = values(body)
    files: list[dict[str, Any]] = fields.get("files") or []
    title, text = fields.get("title", "").strip(), fields.get("text", "")
    if not files and not text.strip():
        await ack(response_action="errors",
                  errors={"files": "파일이나 글을 넣어 주세요. (Add a file or paste a note.)"})
        return
    if text.strip() and not title:
        await ack(response_action="errors", errors={"title": "제목이 필요해요. (Needs a title.)"})
        return
    await ack()
    channel = metadata(body).get("channel")
    problems = [p for p in (check_file(f, t.settings.max_file_bytes) for f in files) if p]
    if problems:
        await tell(t, context, "⚠️ " + plain("\n⚠️ ".join(problems)) + f"\n{NOTHING_STORED}",
                   channel=channel)
        return
    team, user = context.team_id, context.user_id or "-"
    author = person_key(team, user)
    nbytes = sum(int(f.get("size") or 0) for f in files) + len(text.encode())
    allowance = await reserve_upload(t, context, nbytes, channel=channel)
    if allowance is None:
        return
    notes: list[NoteFile] = []
    try:
        for file in files:
            notes.append(await read_file(t, file, team=team, author=author))
    except UnreadableNote as exc:
        await t.core.release_upload(team, allowance)
        await tell(t, context, f"⚠️ {plain(str(exc))}\n{NOTHING_STORED}", channel=channel)
        return
    if text.strip():
        notes.append(NoteFile(key=note_key(team, title), display=note_name(title),
                              text=text.replace("\r\n", "\n"), author=author))
    if not await save_notes(t, context, notes, channel=channel):
        await t.core.release_upload(team, allowance)


async def reserve_upload(t: SlackTransport, context: AsyncBoltContext, nbytes: int, *,
                         channel: str | None) -> IngestAllowance | None:
    """Count an upload against the person's cooldown (maintainers skip it) and the
    workspace's hourly quota; None after telling the person when to try again."""
    team, user = context.team_id, context.user_id or "-"
    maintainer = await is_maintainer(t.client, t.settings, user)
    allowance = await t.core.reserve_upload(team, nbytes, user=person_key(team, user),
                                            with_cooldown=not maintainer)
    if allowance.allowed:
        return allowance
    limit = t.core.core.settings.ingest_bytes_per_hour
    await tell(t, context, plain(upload_refusal(allowance, limit)), channel=channel)
    return None


async def save_notes(t: SlackTransport, context: AsyncBoltContext, notes: list[NoteFile], *,
                     channel: str | None) -> bool:
    """Store the notes whole or not at all: anyone adds, only the author or a maintainer
    replaces; False when they were refused and nothing was stored."""
    team, user = context.team_id, context.user_id or "-"
    keys = [note.key for note in notes]
    if len(set(keys)) != len(keys):
        await tell(t, context, f"⚠️ 같은 이름의 노트가 두 번 있어요. (Two notes share a name.) "
                               f"{NOTHING_STORED}", channel=channel)
        return False
    owners = await t.core.note_owners(team, keys)
    author = person_key(team, user)
    refused = [n.display for n in notes if n.key in owners and owners[n.key] != author]
    if refused and not await is_maintainer(t.client, t.settings, user):
        await tell(t, context, "🔒 다른 사람이 올린 노트는 올린 사람이나 메인테이너만 바꿀 수 "
                               f"있어요: {plain(', '.join(refused))}. (Only a note's author or a "
                               f"maintainer may replace it.) {NOTHING_STORED}", channel=channel)
        return False
    report = await t.core.ingest_notes(team, notes)
    await tell(t, context, report_text(report), channel=channel)
    return True


def report_text(report: IngestReport) -> str:
    """What an ingest did, file by file, for the person who ran it."""
    lines = ["📥 " + report.summary()]
    for label, names in (("added · 추가", report.added), ("changed · 변경", report.changed),
                         ("unchanged · 그대로", report.unchanged),
                         ("removed · 삭제", report.removed)):
        if names:
            lines.append(f"*{label}*: " + ", ".join(f"`{plain(name)}`" for name in names))
    return "\n".join(lines)
