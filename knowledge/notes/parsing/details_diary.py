"""Diaries built from `<details><summary>TITLE</summary> ... </details>` blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.notes.parsing.dates import date_from_path
from knowledge.notes.parsing.html_tags import Tag, strip_tags, tags_of
from knowledge.notes.parsing.markdown import Document
from knowledge.notes.parsing.section import ParsedSection, clip, join_label

# `<div markdown="1">` only asks Jekyll to render Markdown inside the block.
_WRAPPER_RE = re.compile(r"^\s*(?:<div\b[^>]*>|</div\s*>)\s*$", re.IGNORECASE)
# The diaries separate blocks with long `=====` rules; they carry no words.
_RULE_RE = re.compile(r"^\s*([=\-*_])(?:\s*\1){2,}\s*$")
# Matched line by line from the line's start; the value is stripped by str.strip, since a
# lazy value before optional trailing spaces would backtrack quadratically.
_DATE_LINE_RE = re.compile(r"[\s>]*Date\s*[:：](.*)", re.IGNORECASE)
_NO_DATE = {"", "none", "null", "-", "n/a", "tbd"}
# The diary template's "write here" placeholder, left in blocks the author never filled.
_PLACEHOLDERS = {"여기다 적어", "여기에 적어"}


@dataclass
class _Block:
    """A `<details>` block (or the top level, title None) and its own lines."""

    title: str | None
    path: tuple[str, ...]
    lines: list[str] = field(default_factory=list)
    first: int | None = None


def _opens_and_closes(line: str) -> tuple[int, int]:
    lowered = line.lower()
    return lowered.count("<details"), lowered.count("</details")


def matches(doc: Document) -> bool:
    """Whether most of the document's content sits inside `<details>` blocks."""
    depth = inside = outside = 0
    for line, code in zip(doc.lines, doc.mask, strict=True):
        opens, closes = (0, 0) if code else _opens_and_closes(line)
        if opens or closes:
            depth = max(depth + opens - closes, 0)
            continue
        if line.strip() and not _RULE_RE.match(line):
            if depth:
                inside += 1
            else:
                outside += 1
    return inside > 0 and inside >= outside


def diary_date(text: str, path: str) -> str | None:
    """The diary's date: the folder/file name's date, else its `Date :` line.

    The name wins because the diaries' Date lines are copied from the previous day's
    template and are sometimes stale; the folder is what the author named the day.
    """
    from_path = date_from_path(path)
    if from_path:
        return from_path
    for line in text.split("\n"):
        match = _DATE_LINE_RE.match(line)
        if match:
            value = match.group(1).strip()
            return None if value.lower() in _NO_DATE else value
    return None


def _summary_title(inner: str) -> str:
    return " ".join(strip_tags(inner).split())


def _pieces(line: str) -> list[tuple[str, Tag | None]]:
    """The line split around its tags, so `<details><summary>T</summary>` on one line works
    as well as one tag per line."""
    if "<" not in line:
        return [(line, None)]
    pieces: list[tuple[str, Tag | None]] = []
    cursor = 0
    for tag in tags_of(line):
        pieces.append((line[cursor : tag.start], None))
        pieces.append((line[tag.start : tag.end], tag))
        cursor = tag.end
    pieces.append((line[cursor:], None))
    return pieces


def _blocks(doc: Document) -> list[_Block]:
    root = _Block(title=None, path=())
    blocks = [root]
    stack = [root]
    for number, (line, code) in enumerate(zip(doc.lines, doc.mask, strict=True)):
        pieces: list[tuple[str, Tag | None]] = [(line, None)] if code else _pieces(line)
        for piece, tag in pieces:
            if tag is not None and tag.kind == "open":
                block = _Block(title=None, path=stack[-1].path)
                blocks.append(block)
                stack.append(block)
            elif tag is not None and tag.kind == "close":
                if len(stack) > 1:
                    stack.pop()
            elif tag is not None:
                top = stack[-1]
                if top.title is None and top is not root:
                    top.title = _summary_title(tag.inner)
                    if top.title:
                        top.path = (*top.path, top.title)
                else:
                    stack[-1].lines.append(_summary_title(tag.inner))
            elif code or not (_WRAPPER_RE.match(piece) or _RULE_RE.match(piece)):
                top = stack[-1]
                if piece.strip() and top.first is None:
                    top.first = number
                if piece.strip() or top.lines:
                    top.lines.append(piece)
    return blocks


def parse(doc: Document, name: str) -> list[ParsedSection]:
    """One section per `<details>` block with its own text, in reading order."""
    date = diary_date("\n".join(doc.lines), doc.path)
    sections: list[tuple[int, ParsedSection]] = []
    for block in _blocks(doc):
        text = "\n".join(block.lines).strip()
        if not text or text in _PLACEHOLDERS or block.first is None:
            continue
        chain = " › ".join(clip(part) for part in block.path)
        sections.append(
            (
                block.first,
                ParsedSection(
                    ordinal=0,
                    label=join_label(name, date, chain),
                    title=clip(block.title or ""),
                    text=text,
                    date=date,
                ),
            )
        )
    sections.sort(key=lambda pair: pair[0])
    return [section for _, section in sections]
