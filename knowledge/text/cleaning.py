"""Text from people made safe to store, print and render: no control characters, no masked links.

A question may carry terminal escape sequences (`\\x1b]8;;…`) that would act on a maintainer's
terminal; a note may carry `[공식 문서](https://evil.example)`, a link whose text hides where it
goes. Both are neutralised here, by linear scans.
"""

from __future__ import annotations

import re
import unicodedata

# Direction overrides and isolates reorder what a reader sees ("Trojan source").
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# `[text](url)` or `![alt](url "title")`: possessive runs never backtrack; a link's text
# holds no brackets and no line break, its target no spaces, parentheses or angle brackets.
_MASKED_LINK = re.compile(
    r"!?\[([^\[\]\n]*+)\]\([ \t]*+<?([^()\s<>]*+)>?(?:[ \t]++\"[^\"\n]*+\")?[ \t]*+\)"
)
_WEB_URL = re.compile(r"https?://[^\s<>\"'`\\]++", re.IGNORECASE)


def strip_controls(text: str, *, keep_newlines: bool = True) -> str:
    """`text` without control characters (C0, DEL, C1, bidi overrides); tabs become spaces.

    Line breaks stay unless `keep_newlines` is False, when they become spaces too.
    """
    kept: list[str] = []
    for char in text:
        if char == "\n" and keep_newlines:
            kept.append(char)
        elif char in "\t\n\r":
            kept.append(" ")
        elif char in _BIDI_CONTROLS or unicodedata.category(char) == "Cc":
            continue
        else:
            kept.append(char)
    return "".join(kept)


def web_url(value: str | None) -> str | None:
    """`value` when it is a single http(s) URL with nothing else in it, else None."""
    if not value:
        return None
    value = value.strip()
    match = _WEB_URL.fullmatch(value)
    return value if match and strip_controls(value) == value else None


def _plain_link(match: re.Match[str]) -> str:
    text, target = match.group(1).strip(), match.group(2)
    url = web_url(target)
    if url is None:
        return text  # an anchor, a relative path or a script: its text is what it says
    # `<url>` shows the address itself (and Discord does not preview it).
    return f"{text} <{url}>" if text and text != url else f"<{url}>"


def unmask_links(text: str) -> str:
    """Every Markdown link written as its text and, for a web address, the address itself."""
    if "](" not in text:
        return text
    # Whatever link syntax the pattern did not take (a quoted title, nested brackets) is
    # broken by a zero-width space, so no renderer can make a masked link of it.
    return _MASKED_LINK.sub(_plain_link, text).replace("](", "]\u200b(")
