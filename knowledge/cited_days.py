"""The days an ask cited, as cites a maintainer can edit (`week2.md · Day 8`), and which edited
cites name a day no note holds."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import PurePosixPath

from sqlalchemy import select

from knowledge.curation.answers import cites_of
from knowledge.curation.files import parse_cite
from knowledge.errors import CuratedFileError
from knowledge.store.database import Store
from knowledge.store.models import Ask, Section, Source


def ask_cites(store: Store, ask_id: int, space: str) -> list[str]:
    """The cites of the days an ask of `space` cited, in its order ([] for no such ask)."""
    with store.session() as session:
        ask = session.get(Ask, ask_id)
        if ask is None or ask.space != space:
            return []
        return cites_of(session, list(ask.cited_passages or ()))


def missing_days(store: Store, cites: Collection[str], spaces: Collection[str]) -> list[str]:
    """The cites (as written) that are malformed or name a day no note of `spaces` holds."""
    missing: list[str] = []
    for cite in cites:
        try:
            name, day = parse_cite(cite)
        except CuratedFileError:
            missing.append(cite)
            continue
        with store.session() as session:
            paths = session.scalars(
                select(Source.path).join(Section, Section.source_id == Source.id)
                .where(Source.space.in_(list(spaces)), Section.day_label == day)
            ).all()
        if not any(PurePosixPath(path).name == name for path in paths):
            missing.append(cite)
    return missing
