"""Weekly journals: a `Week N (..)` header, a quoted weekly summary, `Day K (MM/DD)` days."""

from __future__ import annotations

import re

from knowledge.notes.parsing.dates import file_name
from knowledge.notes.parsing.markdown import Document, Heading, is_toc_line
from knowledge.notes.parsing.section import ParsedSection, clip, join_label

_DAY_RE = re.compile(r"^Day\s*(\d{1,4})\s*\(([^)]*)\)", re.IGNORECASE)
_WEEK_RE = re.compile(r"^Week\s*(\d{1,3})(?!\d)", re.IGNORECASE)
# `+ ##### 키워드: A, B` closes a day. Some weeks drop the "키워드:" prefix.
# Titles are taken to the line's end and stripped afterwards: a lazy title before `\s*$`
# would backtrack quadratically on a line of spaces.
_BULLET_HEADING_RE = re.compile(r"\s*[-+*]\s+#{1,6}(.*)")
_KEYWORD_PREFIX_RE = re.compile(r"^(?:키워드|keywords?)\s*[:：]\s*(.*)$", re.IGNORECASE)
_QUOTE_RE = re.compile(r"^\s*>")
_QUOTED_HEADING_RE = re.compile(r"\s*>\s*#{1,6}\s(.*)")
_QUOTE_MARK_RE = re.compile(r"^\s*>\s?")


def is_day_heading(heading: Heading) -> bool:
    """Whether a heading opens a journal day such as `Day 8 (11/15)`."""
    return bool(_DAY_RE.match(heading.title))


def matches(doc: Document) -> bool:
    """Whether the document is a weekly journal: a `Week N` header or several dated days.

    A single `# Day 3 (11/15)` title is a one-day note, which day_notes handles better.
    """
    days = [h for h in doc.headings if is_day_heading(h)]
    if len(days) >= 2:
        return True
    return bool(days) and any(
        _WEEK_RE.match(h.title) and h.start < days[0].start for h in doc.headings
    )


def _split_keywords(text: str) -> tuple[str, ...]:
    items = (item.strip() for item in re.split(r"[,，、]", text))
    return tuple(dict.fromkeys(item for item in items if item))


def _day_body(doc: Document, start: int, end: int) -> tuple[str, tuple[str, ...]]:
    """A day's text without its keyword line, and the keywords that line lists."""
    nonblank = [i for i in range(start, end) if doc.lines[i].strip()]
    last = nonblank[-1] if nonblank else -1
    keywords: list[str] = []
    kept: list[int] = []
    for index in range(start, end):
        match = None if doc.mask[index] else _BULLET_HEADING_RE.match(doc.lines[index])
        if match:
            title = match.group(1).strip()
            prefixed = _KEYWORD_PREFIX_RE.match(title)
            if prefixed:
                keywords.extend(_split_keywords(prefixed.group(1)))
                continue
            # Without the prefix a bullet heading is only taken as keywords where the
            # journal puts them: as the day's last line.
            if index == last:
                keywords.extend(_split_keywords(title))
                continue
        if doc.mask[index] or not is_toc_line(doc.lines[index]):
            kept.append(index)
    text = "\n".join(doc.lines[i] for i in kept).strip()
    return text, tuple(dict.fromkeys(keywords))


def _preamble(
    doc: Document, start: int, end: int, week: int | None, prefix: str
) -> list[ParsedSection]:
    """The weekly summary (a quote opening with `##### 주간 요약`) and any other lead-in."""
    sections: list[ParsedSection] = []
    other: list[int] = []
    index = start
    while index < end:
        heading = None if doc.mask[index] else _QUOTED_HEADING_RE.match(doc.lines[index])
        if heading is None:
            other.append(index)
            index += 1
            continue
        stop = index + 1
        while stop < end and not doc.mask[stop] and _QUOTE_RE.match(doc.lines[stop]):
            stop += 1
        quoted = [_QUOTE_MARK_RE.sub("", doc.lines[i]).strip() for i in range(index + 1, stop)]
        title = heading.group(1).strip()
        sections.append(
            ParsedSection(
                ordinal=0,
                label=join_label(prefix, title),
                title=clip(title),
                text="\n".join(quoted).strip(),
                week=week,
            )
        )
        index = stop
    lead = "\n".join(doc.lines[i] for i in other).strip()
    if lead:
        sections.insert(0, ParsedSection(ordinal=0, label=prefix, title="", text=lead, week=week))
    return sections


def parse(doc: Document) -> list[ParsedSection]:
    """Sections for the weekly summary and each day of a weekly journal."""
    days = [h for h in doc.headings if is_day_heading(h)]
    week_heading = next(
        (h for h in doc.headings if _WEEK_RE.match(h.title) and h.start < days[0].start), None
    )
    week_match = _WEEK_RE.match(week_heading.title) if week_heading else None
    week = int(week_match.group(1)) if week_match else None
    prefix = f"Week {week}" if week is not None else file_name(doc.path)

    sections: list[ParsedSection] = []
    lead_start = 0
    if week_heading is not None:
        # Text above the week header (rare) still belongs to the lead-in.
        sections.extend(_preamble(doc, 0, week_heading.start, week, prefix))
        lead_start = week_heading.end
    sections.extend(_preamble(doc, lead_start, days[0].start, week, prefix))

    for position, heading in enumerate(days):
        stop = days[position + 1].start if position + 1 < len(days) else len(doc.lines)
        match = _DAY_RE.match(heading.title)
        if match is None:  # cannot happen: is_day_heading selected it
            continue
        number, date = int(match.group(1)), match.group(2).strip()
        day_label = f"Day {number}"
        text, keywords = _day_body(doc, heading.end, stop)
        sections.append(
            ParsedSection(
                ordinal=0,
                label=join_label(prefix, f"{day_label} ({date})" if date else day_label),
                title=clip(heading.title),
                text=text,
                week=week,
                day=number,
                day_label=day_label,
                date=date or None,
                keywords=keywords,
            )
        )
    return sections
