"""The section record every layout parser produces."""

from __future__ import annotations

from dataclasses import dataclass

# Labels end up in a 1024-character column and in chat messages; a runaway heading must not
# blow either up.
MAX_LABEL_PART = 200


@dataclass(frozen=True)
class ParsedSection:
    """One citable section of a document, in document order."""

    ordinal: int
    label: str
    title: str
    text: str
    week: int | None = None
    day: int | None = None
    day_label: str | None = None
    date: str | None = None
    keywords: tuple[str, ...] = ()
    url: str | None = None


def clip(part: str, limit: int = MAX_LABEL_PART) -> str:
    """Shorten one label component to `limit` characters, marking the cut."""
    part = " ".join(part.split())
    return part if len(part) <= limit else part[: limit - 1] + "…"


def join_label(*parts: str | None) -> str:
    """Join the non-empty label components with the citation separator."""
    return " · ".join(clip(p) for p in parts if p and p.strip())
