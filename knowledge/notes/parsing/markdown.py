"""Line-level Markdown helpers: code fences, ATX/setext headings, TOC link lists."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Fences may be indented (they often sit inside list items), so any indentation is accepted.
_FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
# Only the opening run is a pattern; the title and closing `#`s are cut by string methods,
# because a lazy title before optional trailing spaces backtracks quadratically.
_ATX_OPEN_RE = re.compile(r" {0,3}(#{1,6})(?![^ \t])")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-{2,})[ \t]*$")
_LIST_ITEM_RE = re.compile(r"^\s*(?:[-+*]|\d{1,9}[.)])(?:\s|$)")
# A table-of-contents entry: a list item that is nothing but a link to an in-page anchor.
_TOC_ITEM_RE = re.compile(r"\s*(?:[-+*]|\d{1,9}[.)])\s+\[")


@dataclass(frozen=True)
class Heading:
    """A heading occupying lines [start, end) of a document."""

    start: int
    end: int
    level: int
    title: str


def fence_spans(lines: Sequence[str]) -> list[tuple[int, int]]:
    """Line ranges [a, b) of fenced code blocks, fence lines included.

    An unclosed fence runs to the end of the document, as in CommonMark.
    """
    spans: list[tuple[int, int]] = []
    opener: str | None = None
    begin = 0
    for index, line in enumerate(lines):
        match = _FENCE_RE.match(line)
        if opener is None:
            # ```zip()``` on one line is inline code, not a fence: backtick fences
            # may not carry a backtick in their info string.
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                opener, begin = match.group(1), index
        elif (
            match
            and match.group(1)[0] == opener[0]
            and len(match.group(1)) >= len(opener)
            and not match.group(2).strip()
        ):
            spans.append((begin, index + 1))
            opener = None
    if opener is not None:
        spans.append((begin, len(lines)))
    return spans


def code_mask(lines: Sequence[str]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block."""
    mask = [False] * len(lines)
    for begin, end in fence_spans(lines):
        for index in range(begin, end):
            mask[index] = True
    return mask


def _atx(line: str) -> tuple[int, str] | None:
    """An ATX heading's level and title: `## Title ##` is (2, "Title")."""
    match = _ATX_OPEN_RE.match(line)
    if not match:
        return None
    title = line[match.end() :].strip(" \t")
    bare = title.rstrip("#")
    if bare and len(bare) < len(title) and bare[-1] in " \t":
        title = bare  # `## Title ##`: the closing run goes (a title of only `#`s stays)
    return len(match.group(1)), title.strip()


def _can_be_setext_text(line: str) -> bool:
    # Only a plain paragraph line can be underlined into a heading; list items, quotes,
    # HTML and indented code cannot.
    if not line.strip() or line.startswith(("    ", "\t")):
        return False
    stripped = line.lstrip()
    return not (
        _LIST_ITEM_RE.match(line)
        or stripped.startswith((">", "<", "|"))
        or _atx(line) is not None
        or _FENCE_RE.match(line)
        or _SETEXT_RE.match(line)
    )


def find_headings(lines: Sequence[str], mask: Sequence[bool]) -> list[Heading]:
    """ATX and setext headings outside code fences, in document order."""
    headings: list[Heading] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if mask[index]:
            index += 1
            continue
        atx = _atx(line)
        if atx is not None:
            headings.append(Heading(index, index + 1, atx[0], atx[1]))
            index += 1
            continue
        nxt = index + 1
        if (
            nxt < len(lines)
            and not mask[nxt]
            and _SETEXT_RE.match(lines[nxt])
            and _can_be_setext_text(line)
        ):
            level = 1 if lines[nxt].strip().startswith("=") else 2
            headings.append(Heading(index, nxt + 1, level, line.strip()))
            index = nxt + 1
            continue
        index += 1
    return headings


def is_toc_line(line: str) -> bool:
    """Whether a line is a table-of-contents entry (a list item linking to an anchor).

    That is `- [text](#anchor)`: the last `](#` of the line opens an anchor without `)` or
    spaces that closes the line. Scanned, not matched: `.*` before it would backtrack.
    """
    opening = _TOC_ITEM_RE.match(line)
    if opening is None:
        return False
    rest = line[opening.end() :].rstrip()
    if not rest.endswith(")"):
        return False
    at = rest.rfind("](#", 0, len(rest) - 1)
    if at < 0:
        return False
    anchor = rest[at + 3 : -1]
    return not any(char == ")" or char.isspace() for char in anchor)


def body_text(lines: Sequence[str], mask: Sequence[bool], start: int, end: int) -> str:
    """Lines [start, end) as stripped text, without table-of-contents link lists."""
    kept = [
        lines[i]
        for i in range(max(start, 0), min(end, len(lines)))
        if mask[i] or not is_toc_line(lines[i])
    ]
    return "\n".join(kept).strip()


def segments(headings: Sequence[Heading], total: int) -> list[tuple[Heading | None, int, int]]:
    """Split lines [0, total) at `headings`: (heading or None for the preamble, start, end)."""
    first = headings[0].start if headings else total
    parts: list[tuple[Heading | None, int, int]] = [(None, 0, first)]
    for position, heading in enumerate(headings):
        stop = headings[position + 1].start if position + 1 < len(headings) else total
        parts.append((heading, heading.end, stop))
    return parts


@dataclass(frozen=True)
class Document:
    """A document's lines with their code-fence mask and headings, computed once."""

    path: str
    lines: list[str]
    mask: list[bool]
    headings: list[Heading]

    @classmethod
    def from_text(cls, text: str, path: str) -> Document:
        """Scan `text` (already free of front matter) once for every layout parser."""
        lines = text.split("\n")
        mask = code_mask(lines)
        return cls(path, lines, mask, find_headings(lines, mask))

    def body(self, start: int, end: int) -> str:
        """Lines [start, end) as stripped text, without table-of-contents link lists."""
        return body_text(self.lines, self.mask, start, end)
