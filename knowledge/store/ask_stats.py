"""What the ask log says over a time window: asks by outcome, votes and their reasons, latency."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from knowledge.store.asklog import UnansweredGroup
from knowledge.store.database import Store
from knowledge.store.models import Ask, Feedback

KINDS = ("curated", "passage", "abstain")
NO_REASON = "not_given"  # a 👎 whose voter did not say why


@dataclass(frozen=True)
class AskStats:
    """How a space's questions went over the last `days` days."""

    days: int
    asks: int
    by_kind: dict[str, int]
    votes_up: int
    votes_down: int
    down_reasons: dict[str, int]
    other_reasons: list[str] = field(default_factory=list)  # what people wrote for "other"
    top_unanswered: list[UnansweredGroup] = field(default_factory=list)
    p50_ms: float | None = None
    p95_ms: float | None = None

    def share(self, kind: str) -> float:
        """The fraction of asks answered this way (0 with no asks)."""
        return self.by_kind.get(kind, 0) / self.asks if self.asks else 0.0

    def as_json(self) -> dict[str, Any]:
        """The documented JSON shape (`sunbae stats --json`)."""
        return {
            "asks": self.asks,
            "by_kind": {kind: {"count": self.by_kind.get(kind, 0),
                               "share": round(self.share(kind), 4)} for kind in KINDS},
            "votes": {"up": self.votes_up, "down": self.votes_down},
            "down_reasons": dict(self.down_reasons),
            "top_unanswered": [{"question": g.question, "count": g.count,
                                "ask_ids": list(g.ask_ids)} for g in self.top_unanswered],
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
        }


def percentile(values: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile (a value that was measured; None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return round(ordered[rank - 1], 1)


def ask_counts(store: Store, space: str, since: datetime) -> tuple[dict[str, int], list[float]]:
    """Asks of `space` since `since` by outcome, and their latencies."""
    window = (Ask.space == space, Ask.created_at >= since)
    with store.session() as session:
        kinds = dict(session.execute(
            select(Ask.outcome, func.count()).where(*window).group_by(Ask.outcome)).all())
        latencies = [float(ms) for ms in session.scalars(select(Ask.latency_ms).where(*window))]
    return {kind: int(kinds.get(kind, 0)) for kind in KINDS}, latencies


def vote_counts(store: Store, space: str,
                since: datetime) -> tuple[int, int, dict[str, int], list[str]]:
    """(👍, 👎, 👎 by reason, texts written for "other") on asks of `space` since `since`."""
    with store.session() as session:
        rows = session.execute(
            select(Feedback.vote, Feedback.reason, Feedback.reason_text)
            .join(Ask, Feedback.ask_id == Ask.id)
            .where(Ask.space == space, Ask.created_at >= since)
            .order_by(Feedback.id)
        ).all()
    up = sum(1 for vote, _, _ in rows if vote > 0)
    downs = [(reason, text) for vote, reason, text in rows if vote < 0]
    reasons = Counter(reason or NO_REASON for reason, _ in downs)
    others = [text for reason, text in downs if reason == "other" and text]
    return up, len(downs), dict(sorted(reasons.items())), others
