"""Text for Slack: Markdown to mrkdwn, `& < >` escaped so nothing pings, Slack's length limits."""

from __future__ import annotations

import re

from bot.utils.splitting import ELLIPSIS as ELLIPSIS
from bot.utils.splitting import FENCE, plain_reopen, split_text
from bot.utils.splitting import cut as cut

SECTION_TEXT_LIMIT = 3000  # a section block's text
CONTEXT_TEXT_LIMIT = 3000  # a context element's text
BLOCKS_PER_MESSAGE = 50
FALLBACK_TEXT_LIMIT = 3000  # the notification text; Slack truncates at 40 000
ZERO_WIDTH_SPACE = "\u200b"

_CODE = re.compile(r"```.*?(?:```|$)|`[^`\n]+`", re.DOTALL)
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*\w])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_BULLET = re.compile(r"^(\s*)[-*+]\s+", re.MULTILINE)
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>])")
_PLACEHOLDER = "\x00{}\x00"


def escape(text: str) -> str:
    """Slack's three control characters escaped, and every `@` broken by a zero-width space.

    `&lt;!channel&gt;` shows as `<!channel>` but pings nobody; the zero-width space keeps a
    plain `@here` or `@channel` inert even where a client would link names.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("@", "@" + ZERO_WIDTH_SPACE)


def plain(text: str) -> str:
    """Literal text (a quote, a label, a name): escaped, Markdown escapes undone, one line."""
    return escape(" ".join(_ESCAPED.sub(r"\1", text).split()))


def to_mrkdwn(markdown: str) -> str:
    """Markdown as Slack mrkdwn: bold, italics, strike, links, headings and bullets converted,
    code kept as it is (but escaped), everything escaped so nothing pings."""
    codes: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        code = match.group(0)
        if code.startswith(FENCE):
            # Slack shows no language tag: drop a ```python line's tag.
            body = code[len(FENCE):]
            first, _, rest = body.partition("\n")
            if rest and re.fullmatch(r"[\w+#.-]{1,20}", first.strip()):
                body = "\n" + rest
            code = FENCE + body if body.endswith(FENCE) else FENCE + body + FENCE
        codes.append(escape(code).replace("@" + ZERO_WIDTH_SPACE, "@"))
        return _PLACEHOLDER.format(len(codes) - 1)

    text = _CODE.sub(keep_code, markdown)
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        url = url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
        links.append(f"<{url}|{escape(label)}>")
        return _PLACEHOLDER.format(f"L{len(links) - 1}")

    text = _LINK.sub(keep_link, text)
    text = escape(text)
    # Bullets before italics (`* item` is not emphasis); bold and headings become `*` last,
    # through \x01, so the italic rule never sees them.
    text = _BULLET.sub(r"\1• ", text)
    text = _ITALIC.sub(r"_\1_", text)
    text = _BOLD.sub(lambda m: f"\x01{m.group(1) or m.group(2)}\x01", text)
    text = _HEADING.sub(lambda m: f"\x01{m.group(1)}\x01", text)
    text = _STRIKE.sub(r"~\1~", text).replace("\x01", "*")
    text = re.sub(r"\x00L(\d+)\x00", lambda m: links[int(m.group(1))], text)
    # The code placeholders last, so no rule above rewrote what is inside code.
    return re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], text)


def split_mrkdwn(text: str, limit: int = SECTION_TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, broken at paragraphs, lines or spaces, never
    inside an escape (`&amp;`) or a link (`<url|label>`); a code block cut is reopened."""
    return split_text(text, limit, break_at=_break_at, reopen=plain_reopen)


def _break_at(text: str, limit: int) -> int:
    window = text[:limit]
    for mark in ("\n\n", "\n", " "):
        at = window.rfind(mark)
        if at >= limit // 2:
            return at + len(mark)
    # A hard cut: step back out of an entity or a link it would break.
    at = limit
    amp, lt = window.rfind("&", max(0, at - 6)), window.rfind("<")
    if amp != -1 and ";" not in window[amp:]:
        at = amp
    if lt != -1 and ">" not in window[lt:] and lt > 0:
        at = min(at, lt)
    return at
