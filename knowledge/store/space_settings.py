"""A space's own choices, stored: whether it sees the shared space's curated answers."""

from __future__ import annotations

from datetime import UTC, datetime

from knowledge.store.database import Store, bump_revision
from knowledge.store.models import SpaceSetting


def sees_shared(store: Store, space: str) -> bool | None:
    """The choice `space` made (None: none, the deployment's default applies)."""
    with store.session() as session:
        row = session.get(SpaceSetting, space)
        return None if row is None else row.see_shared


def set_sees_shared(store: Store, space: str, choice: bool | None) -> None:
    """Store `space`'s choice (None: back to the default); other processes follow it."""
    with store.session() as session:
        row = session.get(SpaceSetting, space)
        if row is None:
            session.add(SpaceSetting(space=space, see_shared=choice))
        else:
            row.see_shared, row.updated_at = choice, datetime.now(UTC)
        bump_revision(session)  # a following process re-reads the choice
