"""The facade's autocomplete choices: a space's notes (for /forget) and its days (for /source)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select

from knowledge.store.database import Store
from knowledge.store.models import Section, Source

# A typed fragment matches anywhere; this many rows are read at most (a chat shows 25).
_ROWS = 200
LABEL_LIMIT = 64  # the longest day /source takes


def _escaped(typed: str) -> str:
    """`typed` as a LIKE pattern matching it literally, anywhere."""
    plain = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{plain}%"


class ChoicesFacade:
    """`Sunbae`'s lists for a chat's autocomplete, always scoped to the asker's space."""

    _store: Store

    def _space(self, space: str | None) -> str:
        raise NotImplementedError  # provided by Sunbae

    def _visible(self, space: str) -> tuple[str, ...]:
        raise NotImplementedError  # provided by Sunbae

    def note_keys(self, prefix: str, typed: str = "", *, author: str | None = None,
                  space: str | None = None, limit: int = 25) -> list[str]:
        """Keys of `space`'s own notes that start with `prefix` and hold `typed` (any case),
        only `author`'s when given, by key."""
        pattern = _escaped(typed.strip().lower())
        query = (select(Source.path)
                 .where(Source.space == self._space(space),
                        Source.path.startswith(prefix, autoescape=True),
                        func.lower(Source.path).like(pattern, escape="\\"))
                 .order_by(Source.path).limit(limit))
        if author is not None:
            query = query.where(Source.author == author)
        with self._store.session() as session:
            return list(session.scalars(query))

    def day_labels(self, typed: str = "", *, space: str | None = None,
                   limit: int = 25) -> list[tuple[str, str]]:
        """(what /source takes, a citation label to show) for the days the notes `space`
        sees hold, matching `typed`: day labels in day order, then labels of undated
        sections."""
        return _day_labels(self._store, typed, self._visible(self._space(space)), limit)


def _day_labels(store: Store, typed: str, spaces: Collection[str],
                limit: int) -> list[tuple[str, str]]:
    # Days by their day label (`Day 8`), in day order; then sections with no day (a note
    # outside a weekly journal) by their citation label, which /source accepts too.
    pattern = _escaped(typed.strip().lower())
    matches = (func.lower(Section.label).like(pattern, escape="\\")
               | func.lower(func.coalesce(Section.day_label, "")).like(pattern, escape="\\"))
    seen = Source.space.in_(list(spaces))
    with store.session() as session:
        days = session.execute(
            select(Section.day_label, func.min(Section.label), func.min(Section.day))
            .join(Source, Section.source_id == Source.id)
            .where(seen, Section.day_label.is_not(None), matches)
            .group_by(Section.day_label).limit(_ROWS)
        ).all()
        labels = session.scalars(
            select(Section.label).distinct()
            .join(Source, Section.source_id == Source.id)
            .where(seen, Section.day_label.is_(None), matches,
                   func.length(Section.label) <= LABEL_LIMIT)
            .order_by(Section.label).limit(limit)
        ).all()
    ordered = sorted(days, key=lambda row: (row[2] is None, row[2] or 0, row[0]))
    found = [(str(day), str(label)) for day, label, _ in ordered]
    found += [(label, label) for label in labels]
    return found[:limit]
