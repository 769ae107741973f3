"""Follow-ups in a thread: a question searched together with the thread's first question."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np
from sqlalchemy import select

from index.embedder import TextEmbedder
from index.query import Query
from index.search import HybridIndex, Ranking, SectionHit
from knowledge.store.channel_modes import modes_of, set_mode
from knowledge.store.database import Store
from knowledge.store.models import Ask

# How much a day cited earlier in the thread gains, in fused-score units (a section's score is
# a weighted reciprocal rank: about 0.25 for a day first in both rankings), and the weight of
# the follow-up's own ranking fused with the thread's (the thread's weighs 1): a new,
# self-contained question asked in a thread still finds its own day. Both chosen by the rule
# the leave-one-corpus-out protocol applies per fold, over every dialogue of
# tests/data/followups.jsonl (README, "Follow-ups"; the README's figures are out of corpus).
CITED_DAY_BOOST = 0.01
ALONE_WEIGHT = 0.25
# The thread's first question is cut to this many characters: it sets the topic, the
# follow-up's own words must still count.
FIRST_QUESTION_CHARS = 500
FUSION_K = 5.0  # reciprocal-rank fusion constant, as the hybrid index's
EARLIER_ASKS = 50  # the asks of a thread read back (its most recent ones)


@dataclass(frozen=True)
class Conversation:
    """What a thread said before a follow-up: its first question and the days cited in it."""

    first_question: str
    cited_section_ids: tuple[int, ...] = ()


def thread_text(question: str, context: Conversation) -> str:
    """The text a follow-up is searched with: the thread's first question, then its own."""
    first = " ".join(context.first_question.split())[:FIRST_QUESTION_CHARS]
    return f"{first} {question}".strip()


def prefer_cited(ranking: Ranking, cited: Collection[int], boost: float) -> Ranking:
    """The ranking with the days cited earlier in the thread raised by `boost` (a preference,
    not a filter: a day the search did not find stays out)."""
    if not cited or boost <= 0:
        return ranking
    wanted = set(cited)
    hits = [replace(h, score=h.score + boost) if h.section_id in wanted else h
            for h in ranking.sections]
    return Ranking(sections=sorted(hits, key=lambda h: -h.score))


def fuse(thread: Ranking, alone: Ranking, alone_weight: float) -> Ranking:
    """The thread's ranking and the follow-up's own, by weighted reciprocal rank (a section
    keeps the thread's hit, with its evidence, where both found it)."""
    if alone_weight <= 0:
        return thread
    scores: dict[int, float] = {}
    hits: dict[int, SectionHit] = {}
    for ranking, weight in ((thread, 1.0), (alone, alone_weight)):
        for rank, found in enumerate(ranking.sections):
            sid = found.section_id
            scores[sid] = scores.get(sid, 0.0) + weight / (FUSION_K + rank + 1)
            hits.setdefault(sid, found)
    ranked = sorted(hits.values(), key=lambda h: -scores[h.section_id])
    return Ranking(sections=[replace(h, score=scores[h.section_id]) for h in ranked])


class ConversationFacade:
    """The facade's conversations: a thread's context read back from the ask log, the search
    of a question with it (`Sunbae.ask(..., context=...)`), and the channel modes."""

    _store: Store
    _embedder: TextEmbedder
    _index: HybridIndex
    cited_day_boost: float = CITED_DAY_BOOST
    alone_weight: float = ALONE_WEIGHT

    def _space(self, space: str | None) -> str:
        raise NotImplementedError  # the core's

    def conversation(self, *, first_question: str | None = None, asks: Sequence[int] = (),
                     channel: str | None = None,
                     space: str | None = None) -> Conversation | None:
        """The context of a follow-up: the thread's first question (given, or the earliest of
        the asks) and the days cited by the asks given by id or logged in `channel` (a thread's
        place), all of `space`; None when there is no earlier question."""
        space = self._space(space)
        with self._store.session() as session:
            rows: list[Ask] = []
            if asks:
                rows += session.scalars(
                    select(Ask).where(Ask.space == space, Ask.id.in_(list(asks)))).all()
            if channel:
                rows += session.scalars(
                    select(Ask).where(Ask.space == space, Ask.channel == channel)
                    .order_by(Ask.id.desc()).limit(EARLIER_ASKS)).all()
            earlier = sorted({row.id: row for row in rows}.values(), key=lambda row: row.id)
            cited = [sid for row in reversed(earlier) for sid in row.cited_passages or []]
            first = first_question or (earlier[0].question if earlier else None)
        if not first or not first.strip():
            return None
        return Conversation(first_question=first, cited_section_ids=tuple(dict.fromkeys(cited)))

    def set_channel_mode(self, channel: str, mode: str | None, *,
                         space: str | None = None) -> None:
        """Store how Sunbae behaves in a channel of `space`: auto, mention or off (None: the
        defaults); ValueError for any other mode."""
        set_mode(self._store, self._space(space), channel, mode)

    def channel_modes(self, *, space: str | None = None) -> dict[str, str]:
        """The channels of `space` with a stored mode, and their modes."""
        return modes_of(self._store, self._space(space))

    def _thread_vector(self, question: str, context: Conversation | None) -> np.ndarray | None:
        """The vector of a follow-up searched with its thread (None for a question alone);
        embedded before the index lock is taken."""
        if context is None:
            return None
        return self._embedder.embed_query(thread_text(question, context))

    def _thread_ranking(self, query: Query, spaces: Collection[str],
                        context: Conversation | None,
                        vector: np.ndarray | None) -> tuple[Query, Ranking]:
        """The query answers are composed from and its ranking: the question's own, or for a
        follow-up the thread's text with the days cited earlier preferred (under the lock)."""
        if context is None or vector is None:
            return query, self._index.search(query, spaces=spaces)
        searched = self._index.query(thread_text(query.text, context), vector,
                                     language=query.language, limit=query.limit, spaces=spaces)
        in_thread = prefer_cited(self._index.search(searched, spaces=spaces),
                                 context.cited_section_ids, self.cited_day_boost)
        if self.alone_weight <= 0:
            return searched, in_thread
        alone = self._index.search(query, spaces=spaces)
        return searched, fuse(in_thread, alone, self.alone_weight)
