"""Dates, week numbers and display names read from a document's path."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

_ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_COMPACT8_RE = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_COMPACT6_RE = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})(?!\d)")
_SHORT_DASHED_RE = re.compile(r"(?<!\d)(\d{2})-(\d{2})-(\d{2})(?!\d)")
_WEEK_RE = re.compile(r"(?<![a-z])week[\s_-]*(\d{1,3})(?!\d)", re.IGNORECASE)


def _parts(path: str) -> list[str]:
    # Deepest component first: the file name says more about the date than its folders.
    pure = PurePosixPath(path.replace("\\", "/"))
    names = [pure.stem, *(p for p in reversed(pure.parent.parts) if p not in ("", ".", "/"))]
    return [n for n in names if n]


def file_name(path: str) -> str:
    """The last component of a display path."""
    return PurePosixPath(path.replace("\\", "/")).name or path


def short_path(path: str) -> str:
    """The file name with its folder ("Week1/Day6.md"), which tells apart same-named days."""
    pure = PurePosixPath(path.replace("\\", "/"))
    parent = pure.parent.name
    return f"{parent}/{pure.name}" if parent else pure.name or path


def _valid(month: str, day: str) -> bool:
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def date_in_name(name: str) -> str | None:
    """A calendar date written in a file or folder name, in the journal's own notation."""
    for pattern in (_ISO_RE, _COMPACT8_RE):
        for match in pattern.finditer(name):
            year, month, day = match.groups()
            if _valid(month, day):
                return f"{year}-{int(month):02d}-{int(day):02d}"
    for match in _COMPACT6_RE.finditer(name):
        year, month, day = match.groups()
        if _valid(month, day):
            # "220117" is how the diaries name a day; their own Date lines write "22.01.17".
            return f"{year}.{month}.{day}"
    for match in _SHORT_DASHED_RE.finditer(name):
        if _valid(match.group(2), match.group(3)):
            return match.group(0)
    return None


def date_from_path(path: str) -> str | None:
    """The date in the file name, else in the nearest folder name that has one."""
    for name in _parts(path):
        found = date_in_name(name)
        if found:
            return found
    return None


def week_from_path(path: str) -> int | None:
    """The week number in the file or folder names ("week2.md", "Week1/", "week 1st/")."""
    for name in _parts(path):
        match = _WEEK_RE.search(name)
        if match:
            return int(match.group(1))
    return None
