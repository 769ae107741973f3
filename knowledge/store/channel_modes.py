"""Channel modes of a space: where Sunbae answers every question, only when asked, or never."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.store.database import Store
from knowledge.store.models import Base, utcnow

# auto: every question (a forum's new posts too); mention: only when mentioned; off: never.
MODES = ("auto", "mention", "off")


class ChannelMode(Base):
    """How Sunbae behaves in one channel of a space (a channel without a row: the defaults)."""

    __tablename__ = "channel_modes"

    space: Mapped[str] = mapped_column(String(200), primary_key=True)
    channel: Mapped[str] = mapped_column(String(200), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def set_mode(store: Store, space: str, channel: str, mode: str | None) -> None:
    """Store a channel's mode (None: back to the defaults); ValueError for an unknown mode."""
    if mode is not None and mode not in MODES:
        raise ValueError(f"unknown channel mode {mode!r} (one of {', '.join(MODES)})")
    with store.session() as session:
        session.execute(delete(ChannelMode).where(ChannelMode.space == space,
                                                  ChannelMode.channel == channel))
        if mode is not None:
            session.add(ChannelMode(space=space, channel=channel, mode=mode))


def modes_of(store: Store, space: str) -> dict[str, str]:
    """Every channel of a space with a stored mode."""
    with store.session() as session:
        rows = session.execute(select(ChannelMode.channel, ChannelMode.mode)
                               .where(ChannelMode.space == space)).all()
    return {channel: mode for channel, mode in rows}
