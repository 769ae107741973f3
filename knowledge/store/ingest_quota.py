"""Chat uploads counted in the database: a per-person cooldown and a bytes-per-hour quota per space.

Counted in the store, not in memory, so a restart forgets nothing and every bot process of one
database (shards, a Discord and a Slack process) agrees on what a space has used.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from knowledge.store.database import Store
from knowledge.store.models import IngestUsage

HOUR = timedelta(hours=1)

Refusal = Literal["cooldown", "quota", "too_big"]


@dataclass(frozen=True)
class IngestAllowance:
    """Whether an upload may go ahead; if not, why and in how many seconds it could."""

    allowed: bool
    reason: Refusal | None = None
    retry_after_s: float = 0.0
    usage_id: int | None = None  # the reservation, to release when nothing was stored


@dataclass(frozen=True)
class IngestLimits:
    """Seconds between one person's uploads, and bytes a space may upload per hour (0: off)."""

    cooldown_s: float
    bytes_per_hour: int


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored moment is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _serialise(session: Session, space: str) -> None:
    """Take the space's quota lock for this transaction, so two processes never both pass."""
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"sunbae-ingest-quota:{space}".encode())
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    # SQLite: the DELETE that follows starts the write transaction, which is the lock.


def _quota_wait(used: list[tuple[datetime, int]], nbytes: int, limit: int,
                now: datetime) -> float:
    """Seconds until enough of the last hour's uploads age out for `nbytes` more to fit."""
    total = sum(size for _, size in used)
    for at, size in sorted(used):
        total -= size
        if total + nbytes <= limit:
            return max(0.0, (_aware(at) + HOUR - now).total_seconds())
    return HOUR.total_seconds()


class IngestQuota:
    """Reserves and releases chat uploads against the limits, one transaction each."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def reserve(self, space: str, user: str, nbytes: int, limits: IngestLimits, *,
                with_cooldown: bool = True, now: datetime | None = None) -> IngestAllowance:
        """Record an upload of `nbytes` by `user` if the cooldown and the space's hourly quota
        allow it; otherwise record nothing and say when to try again."""
        now = now or datetime.now(UTC)
        if limits.bytes_per_hour and nbytes > limits.bytes_per_hour:
            return IngestAllowance(False, "too_big")
        keep = max(HOUR, timedelta(seconds=limits.cooldown_s))
        with self._store.session() as session:
            _serialise(session, space)
            session.execute(delete(IngestUsage).where(IngestUsage.space == space,
                                                      IngestUsage.at < now - keep))
            if with_cooldown and limits.cooldown_s > 0:
                last = session.scalar(select(func.max(IngestUsage.at)).where(
                    IngestUsage.space == space, IngestUsage.user == user))
                if last is not None:
                    wait = (_aware(last) - now).total_seconds() + limits.cooldown_s
                    if wait > 0:
                        return IngestAllowance(False, "cooldown", wait)
            if limits.bytes_per_hour:
                used = [(at, size) for at, size in session.execute(
                    select(IngestUsage.at, IngestUsage.bytes).where(
                        IngestUsage.space == space, IngestUsage.at > now - HOUR))]
                if sum(size for _, size in used) + nbytes > limits.bytes_per_hour:
                    wait = _quota_wait(used, nbytes, limits.bytes_per_hour, now)
                    return IngestAllowance(False, "quota", wait)
            usage = IngestUsage(space=space, user=user, bytes=nbytes, at=now)
            session.add(usage)
            session.flush()
            return IngestAllowance(True, usage_id=usage.id)

    def release(self, usage_id: int, space: str) -> None:
        """Forget a reservation whose upload stored nothing (refused, unreadable)."""
        with self._store.session() as session:
            session.execute(delete(IngestUsage).where(IngestUsage.id == usage_id,
                                                      IngestUsage.space == space))
