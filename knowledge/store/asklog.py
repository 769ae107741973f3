"""The ask log: every question, its outcome and feedback, and the unanswered worklist."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from knowledge.answering.answer import Answer
from knowledge.errors import StoreUnavailable
from knowledge.store.database import Store
from knowledge.store.models import Ask, Feedback
from knowledge.text.cleaning import strip_controls

log = logging.getLogger(__name__)

# Why a 👎, as a person picks it (stored with the vote; "other" comes with a short text).
VOTE_REASONS = ("wrong_day", "outdated", "did_not_answer", "other")
REASON_TEXT_MAX = 500


@dataclass
class UnansweredGroup:
    """Questions Sunbae could not answer that read alike, most asked first."""

    question: str
    ask_ids: list[int] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    last_asked: datetime | None = None

    @property
    def count(self) -> int:
        """How many times this was asked."""
        return len(self.ask_ids)


class AskLog:
    """Writes and reads asks and their feedback."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, answer: Answer, *, user: str | None, channel: str | None,
               space: str = "local") -> int | None:
        """Store one ask in `space`; returns its id (for feedback buttons and promotion).

        Best effort: the answer is given anyway when the log cannot be written (a full
        disk, a read-only database), with a warning and None for the id.
        """
        try:
            return self._record(answer, user=user, channel=channel, space=space)
        except (SQLAlchemyError, OSError, StoreUnavailable) as exc:
            # The driver's own message only: SQLAlchemy's would repeat the question itself.
            reason = str(getattr(exc, "orig", None) or exc).splitlines() or [""]
            log.warning("ask not logged (%s: %s); the answer is still given",
                        type(exc).__name__, reason[0][:200])
            return None

    def _record(self, answer: Answer, *, user: str | None, channel: str | None,
                space: str) -> int:
        with self.store.session() as session:
            ask = Ask(
                space=space,
                # Control characters (terminal escapes) never reach the log or its readers.
                question=strip_controls(answer.question),
                user=user,
                channel=channel,
                language=answer.language,
                outcome=answer.kind,
                answer=answer.text,
                confidence=answer.confidence,
                scores=answer.scores,
                # Every day shown (a follow-up prefers them; a promotion offers them to edit).
                cited_passages=[c.section_id for c in answer.shown_days()],
                curated_id=None,
                latency_ms=answer.latency_ms,
            )
            session.add(ask)
            session.flush()
            return ask.id

    def vote(self, ask_id: int, user: str, vote: int, *, space: str = "local") -> None:
        """Record 👍 (+1) or 👎 (-1); a person's later vote replaces their earlier one (an
        ask of another space counts as no ask)."""
        if vote not in (1, -1):
            raise ValueError("a vote is +1 or -1")
        with self.store.session() as session:
            ask = session.get(Ask, ask_id)
            if ask is None or ask.space != space:
                raise KeyError(f"no ask {ask_id}")
            row = session.scalar(
                select(Feedback).where(Feedback.ask_id == ask_id, Feedback.user == user)
            )
            if row is None:
                session.add(Feedback(ask_id=ask_id, user=user, vote=vote))
            else:
                if vote > 0:  # a reason explains a 👎 only
                    row.reason = row.reason_text = None
                row.vote = vote
                row.updated_at = datetime.now(UTC)

    def explain(self, ask_id: int, user: str, reason: str, text: str | None = None, *,
                space: str = "local") -> None:
        """Keep why `user` voted 👎 on an ask of `space` (ValueError for an unknown reason,
        KeyError when they have no 👎 on it there)."""
        if reason not in VOTE_REASONS:
            raise ValueError(f"a reason is one of {', '.join(VOTE_REASONS)}")
        written = strip_controls(" ".join((text or "").split()))[:REASON_TEXT_MAX] or None
        with self.store.session() as session:
            row = session.scalar(
                select(Feedback).join(Ask, Feedback.ask_id == Ask.id)
                .where(Feedback.ask_id == ask_id, Feedback.user == user, Ask.space == space,
                       Feedback.vote == -1)
            )
            if row is None:
                raise KeyError(f"no 👎 on ask {ask_id}")
            row.reason, row.reason_text = reason, written
            row.updated_at = datetime.now(UTC)

    def votes(self, ask_id: int, *, space: str = "local") -> tuple[int, int]:
        """(👍, 👎) counts of an ask of `space`."""
        with self.store.session() as session:
            rows = session.execute(
                select(Feedback.vote, func.count())
                .join(Ask, Feedback.ask_id == Ask.id)
                .where(Feedback.ask_id == ask_id, Ask.space == space)
                .group_by(Feedback.vote)
            ).all()
        counts = dict(rows)
        return counts.get(1, 0), counts.get(-1, 0)

    def get(self, ask_id: int, *, space: str = "local") -> Ask | None:
        """One ask of `space` (None when there is none there)."""
        with self.store.session() as session:
            ask = session.get(Ask, ask_id)
            return ask if ask is not None and ask.space == space else None

    def unanswered(
        self,
        *,
        space: str = "local",
        limit: int = 50,
        embed: Callable[[list[str]], np.ndarray] | None = None,
        alike: float = 0.93,
        since: datetime | None = None,
    ) -> list[UnansweredGroup]:
        """Open abstentions (asked after `since` when given), alike questions grouped, most
        asked first.

        Questions that differ only in case, spacing or punctuation are one group; with `embed`
        (unit vectors of questions), groups whose questions are at least `alike` similar merge.
        """
        query = (select(Ask.id, Ask.question, Ask.created_at)
                 .where(Ask.space == space, Ask.outcome == "abstain", Ask.resolved.is_(False))
                 .order_by(Ask.created_at, Ask.id))
        if since is not None:
            query = query.where(Ask.created_at >= since)
        with self.store.session() as session:
            rows = session.execute(query).all()
        groups: dict[str, UnansweredGroup] = {}
        for ask_id, question, created in rows:
            key = _group_key(question)
            group = groups.setdefault(key, UnansweredGroup(question=question))
            group.ask_ids.append(ask_id)
            if question not in group.variants:
                group.variants.append(question)
            group.last_asked = created
        merged = list(groups.values())
        if embed is not None and len(merged) > 1:
            merged = _merge_alike(merged, embed([g.question for g in merged]), alike)
        ordered = sorted(merged, key=lambda g: (-g.count, g.question))
        return ordered[:limit]

    def resolve(self, ask_ids: list[int], *, space: str = "local") -> None:
        """Take questions of `space` off the unanswered list."""
        with self.store.session() as session:
            for ask_id in ask_ids:
                ask = session.get(Ask, ask_id)
                if ask is not None and ask.space == space:
                    ask.resolved = True


def _group_key(question: str) -> str:
    # Case, spacing and punctuation differences do not make a different question.
    return "".join(ch for ch in question.lower() if ch.isalnum())


def _merge_alike(
    groups: list[UnansweredGroup], vectors: np.ndarray, alike: float
) -> list[UnansweredGroup]:
    """Greedily fold each group into the first earlier group it reads like."""
    kept: list[int] = []
    for index, group in enumerate(groups):
        home = next((k for k in kept if float(vectors[k] @ vectors[index]) >= alike), None)
        if home is None:
            kept.append(index)
            continue
        target = groups[home]
        target.ask_ids.extend(group.ask_ids)
        target.variants.extend(v for v in group.variants if v not in target.variants)
        target.last_asked = max(filter(None, [target.last_asked, group.last_asked]), default=None)
    return [groups[k] for k in kept]
