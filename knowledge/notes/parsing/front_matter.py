"""YAML front matter: split it off and keep the fields a citation can use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from knowledge.text.cleaning import web_url

_OPEN_RE = re.compile(r"^---[ \t]*$")
_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
# The value is stripped by str.strip: a lazy value before `[ \t]*$` backtracks quadratically.
_KEY_LINE_RE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(.*)")
# Front matter is a short header; a closing fence far down is more likely a thematic break.
_MAX_LINES = 200


@dataclass(frozen=True)
class FrontMatter:
    """The front-matter fields Sunbae uses."""

    title: str | None = None
    date: str | None = None
    url: str | None = None
    keywords: tuple[str, ...] = ()


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1].strip()
    return value


def _keywords(value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        items = [str(v) for v in value if v is not None and not isinstance(v, dict | list)]
    elif isinstance(value, str):
        value = value.strip().strip("[]")
        # Jekyll writes tags space-separated; most people write them comma-separated.
        items = value.split(",") if "," in value else value.split()
    else:
        return ()
    cleaned = (_unquote(item) for item in items)
    return tuple(dict.fromkeys(item for item in cleaned if item))


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _loose_parse(block: list[str]) -> dict[str, Any] | None:
    """Read `key: value` lines when the block is not valid YAML (hand-written headers)."""
    first = next((line for line in block if line.strip()), None)
    if first is None or not _KEY_LINE_RE.match(first):
        return None
    data: dict[str, Any] = {}
    for line in block:
        match = _KEY_LINE_RE.match(line)
        if match:
            data.setdefault(match.group(1), _unquote(match.group(2).strip(" \t")))
    return data


def _build(data: dict[Any, Any], raw: dict[str, str]) -> FrontMatter:
    fields = {str(k).lower(): v for k, v in data.items()}
    date = _scalar(fields.get("date"))
    if date is not None and raw.get("date"):
        # YAML turns dates into objects; the journal's own spelling is what we cite.
        date = _unquote(raw["date"]) or date
    tags = fields.get("tags") or fields.get("keywords") or fields.get("tag")
    return FrontMatter(
        title=_scalar(fields.get("title")),
        date=date,
        # Only a web address is ever shown; `javascript:` or a relative path is dropped.
        url=web_url(_scalar(fields.get("url") or fields.get("link") or fields.get("permalink"))),
        keywords=_keywords(tags),
    )


def split_front_matter(text: str) -> tuple[FrontMatter, str]:
    """The front matter of `text` (empty if none) and the text that follows it.

    Never raises: a block that is not a YAML mapping, nor a list of `key: value` lines,
    is left in the body as ordinary content.
    """
    lines = text.split("\n")
    if not lines or not _OPEN_RE.match(lines[0].lstrip("\ufeff")):
        return FrontMatter(), text
    close = next(
        (i for i in range(1, min(len(lines), _MAX_LINES)) if _CLOSE_RE.match(lines[i])), None
    )
    if close is None:
        return FrontMatter(), text
    block = lines[1:close]
    try:
        data = yaml.safe_load("\n".join(block))
    except Exception:  # any malformed header (scanner, constructor, recursion errors)
        data = _loose_parse(block)
    if not isinstance(data, dict) or not data:
        return FrontMatter(), text
    raw: dict[str, str] = {}
    for line in block:
        match = _KEY_LINE_RE.match(line)
        if match:
            raw.setdefault(match.group(1).lower(), match.group(2).strip(" \t"))
    return _build(data, raw), "\n".join(lines[close + 1 :])
