"""Where sentences end in campers' notes: one rule for chunking, answers and chat messages.

A sentence ends at a run of `.`, `?`, `!` (also `。？！…`), with any closing quotes or brackets
after it, followed by whitespace or the end of the text: `배웠다. `, `했어요? `, `"좋다." `.
Never inside a number or a name (`3.14`, `v1.2.3`, `nn.Linear`: no whitespace follows the dot),
inside code (fenced blocks, inline `code. spans`), after a list number opening a line (`1. `),
between the numbers of a printed array (`[1. 3. 5.]`) or after `e.g.`, `i.e.`, `ex.`, `vs.`,
`cf.`, nor right after an opening bracket (`Dot(.)`). Line breaks are cut points of their own
for `sentence_spans`, not sentence ends here.

Every pattern is matched in linear time: a terminator run is only tried where it starts and is
consumed possessively, and the look-back checks read a few characters each.
"""

from __future__ import annotations

import bisect
import re

from knowledge.notes.parsing.markdown import code_mask

_TERMINATORS = frozenset(".?!。？！…")
# Tried only where a run starts (not after a terminator, nor right after an opening bracket,
# as in `Dot(.)`), taken whole (possessive: no backtracking), then closers, then whitespace.
_END = re.compile(r"(?<![.?!。？！…(\[{<])[.?!。？！…]++[\"'”’)\]」』]*+(?=\s|\Z)")
# `code`: one backtick to the next on the same line (fenced blocks: the parser's code_mask).
_INLINE_CODE = re.compile(r"`[^`\n]+`")
# What may stand before a period that numbers a list item, from the start of its line.
_LIST_NUMBER = re.compile(r"^[ \t]*(?:[-*+>][ \t]+)?\d{1,3}\Z", re.MULTILINE)
_ABBREVIATION = re.compile(r"(?<![A-Za-z])(?:e\.g|i\.e|ex|vs|cf)\Z", re.IGNORECASE)
_LOOK_BACK = 12  # characters read before a period for the list and abbreviation checks


def _line_starts(lines: list[str]) -> list[int]:
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    return starts


def _code_spans(text: str, lines: list[str], fenced: list[bool]) -> list[tuple[int, int]]:
    """Character ranges [start, end) of fenced code lines and inline code spans, in order."""
    starts = _line_starts(lines)
    spans = [
        (starts[i], starts[i] + len(lines[i])) for i in range(len(lines)) if fenced[i]
    ]
    spans += [m.span() for m in _INLINE_CODE.finditer(text)]
    spans.sort()
    return spans


def _is_not_an_end(text: str, start: int, end: int) -> bool:
    """A lone period that numbers a list, belongs to a printed number or ends an abbreviation."""
    if text[start] != "." or text[start + 1 : start + 2] in _TERMINATORS:
        return False
    back = max(0, start - _LOOK_BACK)
    if start > 0 and text[start - 1].isdigit():
        if _LIST_NUMBER.search(text, back, start):  # "1. " opening a line
            return True
        if text[start + 1 : start + 2] == "]" or text[end + 1 : end + 2].isdigit():
            return True  # numpy prints floats as "[1. 3. 5.]"
    return bool(_ABBREVIATION.search(text, back, start))


def _ends(text: str, code: list[tuple[int, int]]) -> list[int]:
    ends: list[int] = []
    code_starts = [start for start, _ in code]
    for match in _END.finditer(text):
        start, end = match.span()
        at = bisect.bisect_right(code_starts, start) - 1
        if at >= 0 and start < code[at][1]:
            continue
        if not _is_not_an_end(text, start, end):
            ends.append(end)
    return ends


def sentence_ends(text: str) -> list[int]:
    """Offsets just past each sentence end of `text` (after its punctuation), in order."""
    lines = text.split("\n")
    return _ends(text, _code_spans(text, lines, code_mask(lines)))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Ranges [start, end) of the sentences of `text`, cut at sentence ends and line breaks.

    Spans hold no surrounding whitespace and are never blank; fenced code lines are left out
    (code is not prose), inline code stays inside its sentence.
    """
    lines = text.split("\n")
    fenced = code_mask(lines)
    ends = _ends(text, _code_spans(text, lines, fenced))
    spans: list[tuple[int, int]] = []
    at = 0
    for line, line_start, in_code in zip(lines, _line_starts(lines), fenced, strict=True):
        line_end = line_start + len(line)
        while at < len(ends) and ends[at] <= line_start:
            at += 1
        if in_code:
            continue
        cut = line_start
        while at < len(ends) and ends[at] <= line_end:
            _add_tight(text, cut, ends[at], spans)
            cut = ends[at]
            at += 1
        _add_tight(text, cut, line_end, spans)
    return spans


def _add_tight(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, verbatim (see `sentence_spans`)."""
    return [text[start:end] for start, end in sentence_spans(text)]
