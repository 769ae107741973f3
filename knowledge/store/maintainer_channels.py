"""Where each space's maintainers read about abstentions and 👎: one chat channel per space."""

from __future__ import annotations

from datetime import UTC, datetime

from knowledge.store.database import Store
from knowledge.store.models import MaintainerChannel


def maintainers_channel(store: Store, space: str) -> str | None:
    """The channel set for `space` (None: none set)."""
    with store.session() as session:
        row = session.get(MaintainerChannel, space)
        return None if row is None else row.channel


def set_maintainers_channel(store: Store, space: str, channel: str | None) -> None:
    """Set (or, with None, clear) the channel of `space`."""
    with store.session() as session:
        row = session.get(MaintainerChannel, space)
        if channel is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(MaintainerChannel(space=space, channel=channel))
        else:
            row.channel, row.updated_at = channel, datetime.now(UTC)
