"""One file per day: an H1 such as `# Day 6 - Numpy / 벡터`, sections at `##` headings."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from knowledge.notes.parsing.markdown import Document
from knowledge.notes.parsing.section import ParsedSection, clip, join_label

_DAY_TITLE_RE = re.compile(r"^Day\s*(\d{1,4})(?![0-9A-Za-z])\s*(.*)$", re.IGNORECASE)
# The same, unanchored, to match a repeated "Day N" at a position of the title.
_DAY_PREFIX_RE = re.compile(r"Day\s*(\d{1,4})(?![0-9A-Za-z])", re.IGNORECASE)
_DAY_FILE_RE = re.compile(r"^day[\s_-]*(\d{1,4})$", re.IGNORECASE)
_SEPARATORS = " \t-–—:·|"
# Deeper headings (###) stay inside their `##` section so sections keep a useful size.
_SPLIT_LEVEL = 2


_DATE_IN_TITLE_RE = re.compile(r"^Day\s*\d+\s*\(([^)]*)\)")


def _after_separators(title: str, at: int) -> int:
    """Where the title resumes after the spaces and dashes that follow a day number."""
    while at < len(title) and title[at].isspace():
        at += 1
    while at < len(title) and title[at] in _SEPARATORS:
        at += 1
    while at < len(title) and title[at].isspace():
        at += 1
    return at


def day_title(title: str) -> tuple[int, str] | None:
    """The day number and a normalised title: `Day6 - Day 6 - X` becomes `Day 6 - X`."""
    title = title.strip()
    match = _DAY_TITLE_RE.match(title)
    if match is None:
        return None
    number = int(match.group(1))
    # Positions, not slices: a title repeating "Day 6" thousands of times stays linear.
    at = _after_separators(title, match.end(1))
    again = _DAY_PREFIX_RE.match(title, at)
    # Some notes repeat the day in the title ("Day9 - Day 9 - Pandas II").
    while again and int(again.group(1)) == number:
        at = _after_separators(title, again.end(1))
        again = _DAY_PREFIX_RE.match(title, at)
    rest = title[at:].strip()
    if not rest:
        return number, f"Day {number}"
    if rest.startswith("("):
        return number, f"Day {number} {rest}"
    return number, f"Day {number} - {rest}"


def _file_day(path: str) -> int | None:
    match = _DAY_FILE_RE.match(PurePosixPath(path.replace("\\", "/")).stem.strip())
    return int(match.group(1)) if match else None


def matches(doc: Document) -> bool:
    """Whether the document is one day's notes: a `# Day N` title or a `DayN.md` name."""
    first = doc.headings[0] if doc.headings else None
    if first is not None and first.level == 1 and day_title(first.title) is not None:
        return True
    return _file_day(doc.path) is not None


def parse(doc: Document, short: str) -> list[ParsedSection]:
    """The day's lead-in and one section per `##` heading, labelled `short · Day N - T › H`."""
    first = doc.headings[0] if doc.headings else None
    title_heading = first if first is not None and first.level == 1 else None
    info = day_title(title_heading.title) if title_heading else None
    day = info[0] if info else _file_day(doc.path)
    if info:
        base_title = info[1]
    elif title_heading is not None and title_heading.title:
        base_title = title_heading.title
    else:
        base_title = f"Day {day}" if day is not None else ""
    base = join_label(short, base_title)
    day_label = f"Day {day}" if day is not None else None
    dated = _DATE_IN_TITLE_RE.match(base_title)
    date = (dated.group(1).strip() or None) if dated else None

    splits = [h for h in doc.headings if h.level <= _SPLIT_LEVEL and h is not title_heading]
    first_split = splits[0].start if splits else len(doc.lines)
    if title_heading is not None:
        lead = "\n\n".join(
            part
            for part in (
                doc.body(0, title_heading.start),
                doc.body(title_heading.end, first_split),
            )
            if part
        )
    else:
        lead = doc.body(0, first_split)

    sections = [
        ParsedSection(
            ordinal=0,
            label=base,
            title=clip(base_title),
            text=lead,
            day=day,
            day_label=day_label,
            date=date,
        )
    ]
    for position, heading in enumerate(splits):
        stop = splits[position + 1].start if position + 1 < len(splits) else len(doc.lines)
        label = f"{base} › {clip(heading.title)}" if heading.title else base
        sections.append(
            ParsedSection(
                ordinal=0,
                label=label,
                title=clip(heading.title),
                text=doc.body(heading.end, stop),
                day=day,
                day_label=day_label,
                date=date,
            )
        )
    return sections
