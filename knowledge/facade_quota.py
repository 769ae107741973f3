"""The facade's chat-upload limits: a per-person cooldown and a per-space bytes-per-hour quota."""

from __future__ import annotations

from datetime import datetime

from knowledge.settings import Settings
from knowledge.store.database import Store
from knowledge.store.ingest_quota import IngestAllowance, IngestLimits, IngestQuota


class IngestQuotaFacade:
    """`Sunbae`'s upload limits, for the chat transports (the CLI and an operator are not
    limited)."""

    settings: Settings
    _store: Store

    def _space(self, space: str | None) -> str:
        raise NotImplementedError  # provided by Sunbae

    def reserve_upload(self, nbytes: int, *, user: str, space: str | None = None,
                       with_cooldown: bool = True,
                       now: datetime | None = None) -> IngestAllowance:
        """Count an upload of `nbytes` by `user` in `space` if the cooldown
        (SUNBAE_INGEST_COOLDOWN_S; skipped when `with_cooldown` is false) and the space's
        hourly quota (SUNBAE_INGEST_BYTES_PER_HOUR) allow it; else say why and when to retry."""
        limits = IngestLimits(self.settings.ingest_cooldown_s,
                              self.settings.ingest_bytes_per_hour)
        return IngestQuota(self._store).reserve(self._space(space), user, nbytes, limits,
                                                with_cooldown=with_cooldown, now=now)

    def release_upload(self, allowance: IngestAllowance, *, space: str | None = None) -> None:
        """Give back a reservation whose upload stored nothing (so it neither counts toward the
        quota nor starts the cooldown)."""
        if allowance.usage_id is not None:
            IngestQuota(self._store).release(allowance.usage_id, self._space(space))
