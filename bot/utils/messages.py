"""Text for Discord: Discord's length limits, no pings, escaped quotes, split long text."""

from __future__ import annotations

import re

import discord

from bot.utils import splitting
from bot.utils.splitting import ELLIPSIS as ELLIPSIS
from bot.utils.splitting import FENCE
from bot.utils.splitting import cut as cut
from knowledge.text.cleaning import unmask_links
from knowledge.text.sentences import sentence_ends

MESSAGE_LIMIT = 2000
TITLE_LIMIT = 256
AUTHOR_NAME_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELD_COUNT_LIMIT = 25
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10
ZERO_WIDTH_SPACE = "\u200b"

# Every send passes this; the bot's default is the same, so a forgotten argument still pings no one.
NO_PINGS = discord.AllowedMentions.none()

# Journals are Markdown and already escape some characters (`\_\_getitem\_\_`); unescape
# before escaping again so a quote shows `__getitem__`, not `\_\_getitem\_\_`.
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>])")
_LANGUAGE = re.compile(r"[\w+#.-]{1,20}")
_LINE_BREAKS = ("\n\n", "\n")


def no_pings(text: str) -> str:
    """The text with @everyone, @here and <@…> mentions broken by a zero-width space, code kept.

    This defuses @everyone, @here, <@id>, <@!id> and <@&role> whatever the client's
    allowed-mentions handling, and looks the same to a reader. Code spans and fenced blocks are
    left alone (Discord never turns a mention inside code into a ping), and so is any other
    `@`: a pasted `@torch.no_grad()` must still run when copied back.
    """
    return "".join(
        piece if in_code else _MENTION.sub(lambda m: m.group(0)[:-1] + ZERO_WIDTH_SPACE
                                            + m.group(0)[-1], piece)
        for piece, in_code in _code_pieces(text)
    )


# The start of every mention form; the zero-width space goes before its last character.
_MENTION = re.compile(r"@everyone|@here|<@")


def _code_pieces(text: str) -> list[tuple[str, bool]]:
    """The text cut into (piece, inside code) at ``` fences and single backticks, in one pass."""
    pieces: list[tuple[str, bool]] = []
    start = i = 0
    while i < len(text):
        if text[i] != "`" or (i and text[i - 1] == "\\"):  # escaped backticks are text
            i += 1
            continue
        fence = text.startswith(FENCE, i)
        mark = FENCE if fence else "`"
        end = text.find(mark, i + len(mark))
        if end < 0:  # an unclosed backtick is plain text, as Discord shows it
            i += len(mark)
            continue
        pieces.append((text[start:i], False))
        pieces.append((text[i:end + len(mark)], True))
        start = i = end + len(mark)
    pieces.append((text[start:], False))
    return pieces


def escape_quote(text: str) -> str:
    """A quote from a note as literal text: links unmasked, Markdown escaped, mentions defused."""
    plain = unmask_links(_ESCAPED.sub(r"\1", text))
    return no_pings(discord.utils.escape_markdown(plain, as_needed=False))


def one_line(text: str) -> str:
    """The text with its whitespace collapsed to single spaces."""
    return " ".join(text.split())


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, broken between paragraphs, lines, sentences or
    words where possible; a code block cut in two is closed and reopened with its language."""
    return splitting.split_text(text, limit, break_at=_break_at, reopen=_open_fence)


def _break_at(text: str, limit: int) -> int:
    # The latest natural break in the second half of the window: a paragraph, a line, a
    # sentence (the core's rule, so numbers and code stay whole), a space; else a hard cut.
    window = text[:limit]
    for mark in _LINE_BREAKS:
        at = window.rfind(mark)
        if at >= limit // 2:
            return at + len(mark)
    # One character past the window shows whether a period at its edge is followed by a space.
    ends = [at for at in sentence_ends(text[: limit + 1]) if limit // 2 <= at <= limit]
    if ends:
        return ends[-1]
    at = window.rfind(" ")
    return at + 1 if at >= limit // 2 else limit


def _open_fence(piece: str) -> str:
    """The fence line to reopen with when `piece` ends inside a code block, else ""."""
    if piece.count(FENCE) % 2 == 0:
        return ""
    language = piece[piece.rfind(FENCE) + len(FENCE):].split("\n", 1)[0].strip()
    # Only a short language tag is carried over; anything else on that line was text.
    return FENCE + (language if _LANGUAGE.fullmatch(language) else "") + "\n"


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """The embed cut to Discord's limits: title, author, description, fields, footer and
    total."""
    if embed.title:
        embed.title = cut(embed.title, TITLE_LIMIT)
    if embed.author.name and len(embed.author.name) > AUTHOR_NAME_LIMIT:
        # A display name can be long; Discord refuses the whole embed over 256 here.
        embed.set_author(name=cut(embed.author.name, AUTHOR_NAME_LIMIT),
                         url=embed.author.url, icon_url=embed.author.icon_url)
    if embed.description:
        embed.description = cut(embed.description, DESCRIPTION_LIMIT)
    if len(embed.fields) > FIELD_COUNT_LIMIT:
        kept = embed.fields[:FIELD_COUNT_LIMIT]
        embed.clear_fields()
        for field in kept:
            embed.add_field(name=field.name, value=field.value, inline=field.inline)
    for index, field in enumerate(embed.fields):
        embed.set_field_at(index, name=cut(field.name or ZERO_WIDTH_SPACE, FIELD_NAME_LIMIT),
                           value=cut(field.value or ZERO_WIDTH_SPACE, FIELD_VALUE_LIMIT),
                           inline=field.inline)
    if embed.footer.text:
        embed.set_footer(text=cut(embed.footer.text, FOOTER_LIMIT))
    excess = len(embed) - EMBED_TOTAL_LIMIT
    if excess > 0 and embed.description:
        embed.description = cut(embed.description, max(len(embed.description) - excess, 1))
    while len(embed) > EMBED_TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return embed


def group_for_messages(embeds: list[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds grouped into messages: at most ten a message and 6000 characters together."""
    groups: list[list[discord.Embed]] = []
    size = 0
    for embed in embeds:
        if not groups or len(groups[-1]) >= EMBEDS_PER_MESSAGE \
                or size + len(embed) > EMBED_TOTAL_LIMIT:
            groups.append([])
            size = 0
        groups[-1].append(embed)
        size += len(embed)
    return groups
