"""Matching questions to curated answers: by meaning, by subject, and not by negatives."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.embedder import vectors_from_bytes
from index.glossary import Glossary
from index.query import Query
from index.tokens import Tokenizer
from knowledge.curation.topics import key_terms
from knowledge.errors import CurationError
from knowledge.spaces import SHARED


@dataclass(frozen=True)
class CuratedView:
    """A curated answer as the transports show it."""

    id: int
    slug: str
    question: str
    paraphrases: tuple[str, ...]
    answer: str
    cites: tuple[str, ...]
    tags: tuple[str, ...]
    author: str
    active: bool
    version: int
    negatives: tuple[str, ...] = ()
    space: str = "local"


@dataclass(frozen=True)
class CuratedMatch:
    """The curated answer a question matched, and how closely."""

    curated: CuratedView
    similarity: float
    phrase: str


@dataclass(frozen=True)
class MatchPolicy:
    """When a question counts as one a curated answer answers.

    Either the question is semantically close to a phrasing, or it holds every content word
    of a phrasing (particles stripped: `과제 제출` is in `과제를 어디에 제출하나요?`) and is
    still reasonably close. With `topic_gate`, the question must also name the answer's
    subject (one of its key terms, knowledge.curation.topics, or a glossary word for one),
    and a question nearer one of the answer's negative phrasings than to all of its own
    phrasings is never the answer's.
    """

    threshold: float = 0.90
    contained_threshold: float = 0.86
    topic_gate: bool = True


class PhraseMatcher:
    """The active curated answers' phrasings (own and negative) in memory, with key terms.

    `phrases` are rows of (curated_id, text, tokens, vector, negative).
    """

    def __init__(
        self,
        views: dict[int, CuratedView],
        phrases: Sequence[Any],
        dim: int,
        tokenizer: Tokenizer,
        policy: MatchPolicy,
        overrides: Collection[tuple[str, str]] = (),
    ) -> None:
        self.policy = policy
        # (space, slug) of every space's own answer (retired too): it hides the shared one.
        self._overrides = frozenset(overrides)
        self.tokenizer = tokenizer
        self._glossary = Glossary(tokenizer.tokens)
        own = [p for p in phrases if not p.negative]
        negative = [p for p in phrases if p.negative]
        self._views = views
        self._owners = [p.curated_id for p in own]
        self._phrases = [p.text for p in own]
        self._phrase_tokens = [frozenset(p.tokens.split()) for p in own]
        self._vectors = vectors_from_bytes([p.vector for p in own], dim)
        self._negative_owners = [p.curated_id for p in negative]
        self._negative_vectors = vectors_from_bytes([p.vector for p in negative], dim)
        self._key_terms = self._subjects()

    def _subjects(self) -> dict[int, frozenset[str]]:
        """Each answer's key terms, told apart from every other active answer's words."""
        phrasings: dict[int, list[frozenset[str]]] = {owner: [] for owner in self._views}
        for owner, tokens in zip(self._owners, self._phrase_tokens, strict=True):
            phrasings[owner].append(tokens)
        return {
            owner: key_terms(
                phrasings[owner], view.tags,
                # A space's own copy of an answer (same slug) is not another subject.
                [(phrasings[other], self._views[other].tags)
                 for other in self._views if self._views[other].slug != view.slug],
            )
            for owner, view in self._views.items()
        }

    def key_terms(self, slug: str) -> frozenset[str]:
        """The words a question must hold (or a glossary word for) to get this answer."""
        for owner, view in self._views.items():
            if view.slug == slug:
                return self._key_terms[owner]
        raise CurationError(f"no active curated answer '{slug}'")

    def seen(self, view: CuratedView, spaces: Collection[str]) -> bool:
        """Whether a question of `spaces` sees an answer (a shared one not overridden)."""
        return view.space in spaces and not (view.space == SHARED and any(
            (space, view.slug) in self._overrides for space in spaces))

    def _margins(self, similarities: np.ndarray, contained: np.ndarray,
                 spaces: Collection[str] | None) -> np.ndarray:
        """Each phrasing's margin over its threshold; -inf where `spaces` do not see it."""
        margin = similarities - self._thresholds(contained)
        if spaces is None:
            return margin
        mine = np.array([self.seen(self._views[o], spaces) for o in self._owners], dtype=bool)
        return np.where(mine, margin, -np.inf)  # other spaces' answers never win

    def match(self, query: Query, spaces: Collection[str] | None = None) -> CuratedMatch | None:
        """The best curated answer of `spaces` (None: any) for a question, if the policy
        accepts it: the phrasing with the largest margin over its threshold whose answer
        passes the topic gate and whose negatives are not nearer."""
        if not len(self._owners):
            return None
        vector = np.asarray(query.vector, dtype=np.float32)
        similarities = self._vectors @ vector
        contained = self._contained(list(query.tokens))
        margin = self._margins(similarities, contained, spaces)
        # Nearest own phrasing of each answer, to weigh its negatives against.
        nearest: dict[int, float] = {}
        for owner, similarity in zip(self._owners, similarities.tolist(), strict=True):
            nearest[owner] = max(nearest.get(owner, -1.0), similarity)
        negative: dict[int, float] = {}
        if len(self._negative_owners):
            for owner, similarity in zip(self._negative_owners,
                                         (self._negative_vectors @ vector).tolist(), strict=True):
                negative[owner] = max(negative.get(owner, -1.0), similarity)
        words = self._question_words(query) if self.policy.topic_gate else set()
        for best in np.argsort(-margin, kind="stable").tolist():
            if not margin[best] >= 0:  # below its threshold, or another space's
                return None
            owner = self._owners[best]
            # A question holding every word of one of the maintainers' own phrasings is on
            # their subject whatever words it uses.
            on_subject = contained[best] or not self._key_terms[owner] or bool(
                self._key_terms[owner] & words
            )
            if self.policy.topic_gate and not on_subject:
                continue  # near in meaning, but about another subject
            if negative.get(owner, -1.0) > nearest[owner]:
                continue  # nearer a question the maintainers said it does not answer
            return CuratedMatch(self._views[owner], float(similarities[best]),
                                self._phrases[best])
        return None

    def _contained(self, query_tokens: list[str]) -> np.ndarray:
        """Whether the question holds every content word of each phrasing."""
        tokens = set(query_tokens)
        return np.array([bool(p) and p <= tokens for p in self._phrase_tokens], dtype=bool)

    def _thresholds(self, contained: np.ndarray) -> np.ndarray:
        """Each phrasing's threshold: the lower one when the question holds all its words."""
        return np.where(contained, self.policy.contained_threshold, self.policy.threshold)

    def _question_words(self, query: Query) -> set[str]:
        """The question's words as written and as searched, with the glossary's words for
        them (an English question names a Korean key term through the glossary)."""
        own = [*self.tokenizer.tokens(query.text), *query.tokens]
        return {*own, *query.expansions, *self._glossary.expand(own, query.text)}

    def nearest(
        self, query_vector: np.ndarray, query_tokens: list[str],
        spaces: Collection[str] | None = None,
    ) -> tuple[CuratedMatch, bool] | None:
        """The closest curated phrasing of `spaces` (None: any), and whether the question holds
        all its content words."""
        if not len(self._owners):
            return None
        similarities = self._vectors @ np.asarray(query_vector, dtype=np.float32)
        contained = self._contained(query_tokens)
        # A contained phrasing gets the benefit of the lower threshold; rank by the margin
        # each phrasing has over its own threshold.
        margin = self._margins(similarities, contained, spaces)
        if not np.isfinite(margin).any():
            return None
        best = int(np.argmax(margin))
        view = self._views[self._owners[best]]
        match = CuratedMatch(view, float(similarities[best]), self._phrases[best])
        return match, bool(contained[best])
