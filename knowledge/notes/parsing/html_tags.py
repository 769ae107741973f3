"""The `<details>`/`<summary>` tags of a line, found by a linear scan instead of a regex.

A pattern such as `<summary[^>]*>.*?</summary>` re-reads the rest of the line from every
`<summary` that never closes: quadratic on a hostile line. Here each lookup ("the next `>`",
"the next closing `</summary>`") is answered once and reused while it still lies ahead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

TagKind = Literal["open", "close", "summary"]

# ASCII-only case folding keeps every index of the lowered line valid for the original.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class Tag:
    """A tag at [start, end) of a line; a summary tag spans its text and closing tag."""

    start: int
    end: int
    kind: TagKind
    inner: str = ""


class _NextFinder:
    """The first position at or after a growing `start` where `find` succeeds, cached."""

    def __init__(self, find: Callable[[int], int]) -> None:
        self._find = find
        self._asked = -1
        self._found = -1

    def at_or_after(self, start: int) -> int:
        # Once nothing was found from an earlier start, nothing lies further on either.
        if self._asked < 0 or (self._found >= 0 and self._found < start):
            self._asked, self._found = start, self._find(start)
        return self._found


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _close_end(low: str, at: int, name: str) -> int:
    """The end of `</name\\s*>` at `at`, or -1."""
    index = at + len(name) + 2
    while index < len(low) and low[index].isspace():
        index += 1
    return index + 1 if index < len(low) and low[index] == ">" else -1


def tags_of(line: str) -> Iterator[Tag]:
    """`<details …>`, `</details>` and whole `<summary …>…</summary>` tags, left to right."""
    low = line.translate(_ASCII_LOWER)
    next_gt = _NextFinder(lambda start: low.find(">", start))

    def find_summary_close(start: int) -> int:
        while True:
            at = low.find("</summary", start)
            if at < 0 or _close_end(low, at, "summary") >= 0:
                return at
            start = at + 1

    next_summary_close = _NextFinder(find_summary_close)
    pos = 0
    while (lt := low.find("<", pos)) >= 0:
        pos = lt + 1
        for name, kind in (("details", "open"), ("summary", "summary")):
            after = lt + 1 + len(name)
            if not low.startswith(name, lt + 1) or (after < len(low) and _is_word(low[after])):
                continue
            gt = next_gt.at_or_after(after)
            if gt < 0:
                break
            if kind == "open":
                yield Tag(lt, gt + 1, "open")
                pos = gt + 1
                break
            closing = next_summary_close.at_or_after(gt + 1)
            if closing >= 0:
                end = _close_end(low, closing, "summary")
                yield Tag(lt, end, "summary", line[gt + 1 : closing])
                pos = end
            break
        else:
            if low.startswith("/details", lt + 1):
                end = _close_end(low, lt, "details")
                if end >= 0:
                    yield Tag(lt, end, "close")
                    pos = end


def strip_tags(text: str) -> str:
    """`text` without anything from a `<` to the next `>` (a tag's text stays if unclosed)."""
    kept: list[str] = []
    pos = 0
    while (lt := text.find("<", pos)) >= 0:
        gt = text.find(">", lt)
        if gt < 0:
            break
        kept.append(text[pos:lt])
        pos = gt + 1
    kept.append(text[pos:])
    return "".join(kept)
