"""Whether a note and its parsed sections fit the database: no NUL, no field over its column.

Checked before anything is written, so a hostile note gets a clear refusal instead of a
database error (PostgreSQL refuses U+0000 and over-long strings; SQLite would keep them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import String

from knowledge.errors import UnreadableNote
from knowledge.notes.parsing import ParsedSection
from knowledge.store.models import Section, Source


def _limit(column: object) -> int | None:
    kind = getattr(column, "type", None)
    return kind.length if isinstance(kind, String) and kind.length else None


def _check(name: str, where: str, fields: Iterable[tuple[str, str | None, int | None]]) -> None:
    for field, value, limit in fields:
        if value is None:
            continue
        if "\x00" in value:
            raise UnreadableNote(f"{name}: the {field}{where} holds a NUL character (binary?)")
        if limit is not None and len(value) > limit:
            raise UnreadableNote(
                f"{name}: the {field}{where} is {len(value):,} characters, over the "
                f"{limit:,} kept; shorten it and retry"
            )


def check_fits(
    key: str,
    display: str,
    text: str,
    author: str | None,
    url: str | None,
    sections: Sequence[ParsedSection],
) -> None:
    """Raise UnreadableNote naming the first field that cannot be stored as it is."""
    columns = Source.__table__.c
    _check(display, "", [
        ("key", key, _limit(columns.path)),
        ("name", display, None),
        ("text", text, None),
        ("author", author, _limit(columns.author)),
        ("url", url, _limit(columns.url)),
    ])
    columns = Section.__table__.c
    for section in sections:
        where = f" of section '{section.label[:80]}'"
        _check(display, where, [
            ("label", section.label, _limit(columns.label)),
            ("title", section.title, _limit(columns.title)),
            ("day label", section.day_label, _limit(columns.day_label)),
            ("date", section.date, _limit(columns.date)),
            ("url", section.url, _limit(columns.url)),
            ("text", section.text, None),
            *(("keyword", keyword, None) for keyword in section.keywords),
        ])
