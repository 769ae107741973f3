"""Which stored sections a curated answer's cites name: the shipped sample's, by identity.

A cite reads `week2.md · Day 8`. It names a day of the journal that ships with Sunbae
(knowledge/resources/sample), so it resolves only to a section of a source whose content is
that shipped file's, never to any file whose path merely ends the same way: a camper's
`notweek2.md` with a `Day 8` heading is not the maintainers' week-2 journal.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.curation.files import parse_cite, shipped_curated_dir
from knowledge.notes.ingest import content_hash
from knowledge.notes.reading import read_note
from knowledge.store.models import Section, Source


def shipped_sample_dir() -> Path:
    """The journal the shipped curated answers cite (beside them in the package)."""
    return shipped_curated_dir().parent / "sample"


@lru_cache(maxsize=1)
def shipped_sample_digests() -> dict[str, str]:
    """Each shipped sample file's name with the content hash its ingested source carries."""
    return {
        path.name: content_hash(read_note(path))
        for path in sorted(shipped_sample_dir().glob("*.md"))
    }


def cited_sections(session: Session, cites: list[str] | tuple[str, ...]) -> list[
    tuple[Section, str]
]:
    """The stored sections (with their source's path) that a curated answer's cites name.

    A cite whose file is not a shipped sample file, or whose sample is not in this store,
    names nothing. A store may hold the sample more than once (two paths, same content):
    the first ingested counts.
    """
    digests = shipped_sample_digests()
    found: list[tuple[Section, str]] = []
    for cite in cites:
        name, day = parse_cite(cite)
        digest = digests.get(name)
        if digest is None:
            continue
        row = session.execute(
            select(Section, Source.path)
            .join(Source, Section.source_id == Source.id)
            .where(Source.content_hash == digest)
            .where((Section.day_label == day) | (Section.title == day))
            .order_by(Source.id, Section.ordinal)
        ).first()
        if row is not None and all(row[0].id != seen.id for seen, _ in found):
            found.append((row[0], row[1]))
    return found
