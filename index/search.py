"""Hybrid search: dense (FAISS) and lexical (BM25) rankings of passages, fused per section."""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

import numpy as np

from index.glossary import Glossary
from index.lexical import BM25Index
from index.query import Query
from index.tokens import Tokenizer, shared_tokenizer
from index.vectors import VectorIndex


@dataclass
class SectionHit:
    """A section (day) found for a question, with the evidence behind its rank."""

    section_id: int
    score: float
    passage_ids: list[int] = field(default_factory=list)
    dense: float = 0.0  # best cosine of its passages
    lexical: float = 0.0  # best BM25 of its passages, over the question's best possible
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass(frozen=True)
class FusionWeights:
    """How dense and lexical rankings combine (reciprocal-rank fusion with weights)."""

    # Measured on the development questions and held-out questions over two other journals
    # (README, "Retrieval"): lexical evidence leads, dense breaks ties and carries paraphrases
    # and English questions; a small k makes the top ranks count.
    dense: float = 0.5
    lexical: float = 1.0
    rrf_k: float = 5.0
    depth: int = 100
    glossary: float = 0.5  # BM25 weight of a glossary word (the question's own words: 1)


@dataclass
class Ranking:
    """Sections found for a question, best first."""

    sections: list[SectionHit]


def best_within(search: Callable[[int], list[tuple[int, float]]], depth: int, *, held: int,
                mine: int, member: Callable[[int], bool]) -> list[tuple[int, float]]:
    """The `depth` best of a ranking (`search(n)`: its n best of `held` passages) among the
    `mine` passages `member` accepts: over-fetched in proportion to the share of passages
    outside them, and fetched deeper until enough are found."""
    if mine <= 0:
        return []
    if mine >= held:  # one space (or all of them): nothing to filter, full speed
        return search(depth)
    fetch = min(held, math.ceil(depth * held / mine * 2))
    while True:
        found = search(fetch)
        kept = [(pid, s) for pid, s in found if member(pid)]
        if len(kept) >= depth or fetch >= held or len(found) < fetch:
            return kept[:depth]
        fetch = min(held, fetch * 4)


class HybridIndex:
    """Passages in FAISS and BM25 at once, each passage belonging to one section.

    It owns everything lexical: how a question becomes search words (compounds split, the
    glossary's other-language words added), their idf, and each passage's words.
    """

    def __init__(
        self,
        vectors: VectorIndex,
        weights: FusionWeights | None = None,
        tokenizer: Tokenizer | None = None,
    ) -> None:
        self.vectors = vectors
        self.lexical = BM25Index()
        self.weights = weights or FusionWeights()
        self.tokenizer = tokenizer or shared_tokenizer()
        self.glossary = Glossary(self.tokenizer.tokens)
        self.section_of: dict[int, int] = {}
        # Whose passages these are: a question only ever ranks its own spaces' passages.
        self.space_of_section: dict[int, str] = {}
        self.space_sizes: Counter[str] = Counter()  # passages held per space

    def __len__(self) -> int:
        return len(self.section_of)

    def add(
        self,
        ids: list[int],
        section_ids: list[int],
        vectors: np.ndarray | None,
        tokens: list[list[str]],
        spaces: Sequence[str] | None = None,
    ) -> None:
        """Add passages; `vectors` is None when FAISS already holds them (loaded from disk);
        `spaces` names each passage's space (none given: the unnamed space "")."""
        if vectors is not None:
            self.vectors.add(np.asarray(ids, dtype=np.int64), vectors)
        for n, (pid, sid, toks) in enumerate(zip(ids, section_ids, tokens, strict=True)):
            # Interned: a million rows read from the database would each bring their own copy.
            space = sys.intern(spaces[n]) if spaces is not None else ""
            self.section_of[pid] = sid
            self.space_of_section[sid] = space
            self.space_sizes[space] += 1
            self.lexical.add(pid, toks, space)

    def remove(self, ids: list[int]) -> None:
        """Remove passages from both indexes."""
        self.vectors.remove(np.asarray(ids, dtype=np.int64))
        self.lexical.remove(ids)
        for pid in ids:
            sid = self.section_of.pop(pid, None)
            if sid is not None:
                self.space_sizes[self.space_of_section.get(sid, "")] -= 1

    def query(self, text: str, vector: np.ndarray, *, language: str, limit: int,
              spaces: Collection[str] | None = None) -> Query:
        """A question as this index searches it (built once; everything below takes it),
        its words' statistics those of `spaces`' passages (None: of every passage)."""
        seen = None if spaces is None else tuple(spaces)
        tokens = self.lexical.split_compounds(self.tokenizer.tokens(text), seen)
        # The glossary widens only the search; the answerability signals were calibrated on
        # the question's own words.
        expansions = self.glossary.expand(tokens, text)[len(tokens):]
        return Query(
            text=text,
            language=language,
            limit=limit,
            vector=vector,
            tokens=tuple(tokens),
            expansions=tuple(expansions),
            idf={token: self.lexical.idf(token, seen) for token in dict.fromkeys(tokens)},
            expansion_weight=self.weights.glossary,
            spaces=seen,
        )

    def passage_tokens(self, passage_id: int) -> list[str]:
        """The search words a passage was indexed with."""
        return self.lexical.tokens_of(passage_id)

    def knows(self, token: str, *, typos: bool = False,
              spaces: Collection[str] | None = None) -> bool:
        """Whether some passage (of `spaces`) holds the word (with `typos`, or a one-edit
        variant of it)."""
        return self.lexical.knows(token, typos=typos, spaces=spaces)

    def idf(self, token: str, spaces: Collection[str] | None = None) -> float:
        """A word's idf among the passages of `spaces` (0 when none holds it)."""
        return self.lexical.idf(token, spaces)

    def in_spaces(self, passage_id: int, spaces: Collection[str]) -> bool:
        """Whether a passage belongs to one of `spaces`."""
        sid = self.section_of.get(passage_id)
        return sid is not None and self.space_of_section.get(sid) in spaces

    def _within(self, spaces: Collection[str] | None, depth: int,
                search: Callable[[int], list[tuple[int, float]]]) -> list[tuple[int, float]]:
        """The `depth` best of one ranking inside `spaces`."""
        if spaces is None:
            return search(depth)
        return best_within(search, depth, held=len(self),
                           mine=sum(self.space_sizes[s] for s in spaces),
                           member=lambda pid: self.in_spaces(pid, spaces))

    def search(self, query: Query, k: int | None = None,
               spaces: Collection[str] | None = None) -> Ranking:
        """The k best sections (default: the query's limit, at least 10), fusing the dense
        and lexical passage rankings; with `spaces`, only passages of those spaces."""
        k = k or max(query.limit, 10)
        w = self.weights
        tokens = query.search_tokens
        dense = self._within(spaces, w.depth,
                             lambda n: self.vectors.search(query.vector, n))
        # BM25 searches only `spaces`' passages, with their own statistics.
        lexical = self.lexical.search(tokens, w.depth, query.token_weights, spaces)
        best_possible = self.lexical.max_score(tokens, spaces)
        passage_score: dict[int, float] = {}
        hits: dict[int, SectionHit] = {}

        def hit_for(pid: int) -> SectionHit | None:
            sid = self.section_of.get(pid)
            if sid is None:
                return None
            return hits.setdefault(sid, SectionHit(section_id=sid, score=0.0))

        for rank, (pid, cosine) in enumerate(dense):
            passage_score[pid] = passage_score.get(pid, 0.0) + w.dense / (w.rrf_k + rank + 1)
            hit = hit_for(pid)
            if hit is not None:
                hit.dense = max(hit.dense, cosine)
                if hit.dense_rank is None:
                    hit.dense_rank = rank
        for rank, (pid, bm25) in enumerate(lexical):
            passage_score[pid] = passage_score.get(pid, 0.0) + w.lexical / (w.rrf_k + rank + 1)
            hit = hit_for(pid)
            if hit is not None:
                hit.lexical = max(hit.lexical, bm25 / best_possible)
                if hit.lexical_rank is None:
                    hit.lexical_rank = rank
        # A section ranks by its best passage (bonuses for further passages measured worse).
        for pid, score in sorted(passage_score.items(), key=lambda item: -item[1]):
            hit = hit_for(pid)
            if hit is None:
                continue
            hit.passage_ids.append(pid)
            hit.score = max(hit.score, score)
        ranked = sorted(hits.values(), key=lambda h: -h.score)
        return Ranking(sections=ranked[:k])
