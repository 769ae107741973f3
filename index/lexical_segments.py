"""BM25's storage: immutable segments of raw term counts with tombstones, merged by size level."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from threading import Lock

import numpy as np
from scipy import sparse

# Segments are merged Lucene-style by size level: a level holds segments within a factor of
# FANOUT of each other (everything under LEVEL_BASE documents is level 0), and FANOUT segments
# on one level become one. A document is merged about log_FANOUT(N) times in all, and the big
# segment of a bulk load is only merged once as many segments of its size have grown beside it.
FANOUT = 8
LEVEL_BASE = 1024
# A segment with more than this share of removed rows is rewritten without them.
DEAD_SHARE = 1 / 3


class Vocabulary(dict[str, int]):
    """Term ids by token; looking up an unseen token with [] gives it the next id."""

    def __missing__(self, token: str) -> int:
        term = len(self)
        self[token] = term
        return term


@dataclass
class Segment:
    """Raw term frequencies of some documents, rows sorted by id; removals only mark rows dead."""

    ids: np.ndarray  # int64 document id per row, ascending
    lengths: np.ndarray  # token count per row
    tf: sparse.csc_matrix  # rows × the terms known when it was built: term counts
    # The row's length beside each count, so a search reads lengths in order instead of
    # gathering them from all over `lengths`.
    posting_lengths: np.ndarray
    alive: np.ndarray  # bool per row
    dead_rows: np.ndarray  # int64 rows not alive (kept apart: usually few)
    codes: np.ndarray  # int32 space code per row: whose document it is
    code_set: frozenset[int]  # the codes present, so a search knows when nothing is filtered
    _scratch: np.ndarray | None = None  # zeros between searches, one float per row
    _scratch_lock: Lock = field(default_factory=Lock)

    @classmethod
    def build(cls, ids: Sequence[int], docs: Sequence[list[str]], vocab: Vocabulary,
              codes: Sequence[int]) -> Segment:
        """A segment of `docs` (ids unique) of the spaces `codes`, new tokens entering `vocab`."""
        id_array = np.asarray(ids, dtype=np.int64)
        order = np.argsort(id_array, kind="stable")
        ordered = [docs[i] for i in order.tolist()]
        lengths = np.fromiter(map(len, ordered), dtype=np.int64, count=len(ordered))
        total = int(lengths.sum())
        terms = np.fromiter(
            map(vocab.__getitem__, chain.from_iterable(ordered)), dtype=np.int32, count=total
        )
        rows = np.repeat(np.arange(len(ordered), dtype=np.int32), lengths)
        # Repeated (row, term) pairs are summed into term frequencies by the conversion.
        tf = sparse.csc_matrix(
            (np.ones(total, dtype=np.uint32), (rows, terms)), shape=(len(ordered), len(vocab))
        )
        return cls.of(id_array[order], lengths, tf, np.asarray(codes, dtype=np.int32)[order])

    @classmethod
    def of(cls, ids: np.ndarray, lengths: np.ndarray, tf: sparse.csc_matrix,
           codes: np.ndarray) -> Segment:
        """A segment over rows already sorted by id, counts and lengths stored narrow."""
        tf.data = narrow(tf.data)
        lengths = narrow(lengths)
        alive = np.ones(len(ids), dtype=bool)
        return cls(ids, lengths, tf, lengths[tf.indices], alive, np.zeros(0, dtype=np.int64),
                   codes, frozenset(np.unique(codes).tolist()))

    @property
    def size(self) -> int:
        """Rows still alive."""
        return len(self.ids) - len(self.dead_rows)

    def kill(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mark the rows of `ids` (sorted) dead; ids not alive here are ignored.

        Returns the ids killed and their space codes.
        """
        at = np.searchsorted(self.ids, ids)
        inside = at < len(self.ids)
        at = at[inside]
        hit = at[(self.ids[at] == ids[inside]) & self.alive[at]]
        if len(hit):
            self.alive[hit] = False
            self.dead_rows = np.sort(np.concatenate((self.dead_rows, hit)))
        return self.ids[hit], self.codes[hit]

    def column_counts(self, code: int) -> np.ndarray:
        """Documents per term among the rows of one space (dead rows included, as in `tf`)."""
        if self.code_set == {code}:
            return np.diff(self.tf.indptr)
        if code not in self.code_set:
            return np.zeros(self.tf.shape[1], dtype=np.int64)
        return np.diff(self.tf[np.flatnonzero(self.codes == code)].indptr)

    def top(
        self, terms: np.ndarray, weights: np.ndarray, k: int, k1: float, norm: tuple[float, float],
        codes: frozenset[int] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Ids and BM25 scores of the k best alive rows for `terms` (weights = idf · scale),
        only rows of the spaces `codes` when given.

        `norm` is (k1·(1−b), k1·b/avgdl): the length normalisation with the searched
        documents' current average length, so every segment scores as one from-scratch index
        of them would.
        """
        known = terms < self.tf.shape[1]
        terms, weights = terms[known], weights[known]
        starts, ends = self.tf.indptr[terms], self.tf.indptr[terms + 1]
        counts = ends - starts
        if not counts.sum():
            return _NO_IDS, _NO_SCORES
        spans = [slice(s, e) for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
        rows = np.concatenate([self.tf.indices[span] for span in spans], dtype=np.intp)
        tf = np.concatenate([self.tf.data[span] for span in spans], dtype=np.float32)
        lengths = np.concatenate([self.posting_lengths[span] for span in spans], dtype=np.float32)
        per_posting = np.repeat(weights * np.float32(k1 + 1), counts) * tf
        per_posting /= tf + (np.float32(norm[0]) + np.float32(norm[1]) * lengths)
        if codes is not None and not self.code_set <= codes:  # another space's rows score 0
            per_posting[~np.isin(self.codes[rows], np.fromiter(codes, dtype=np.int32))] = 0.0
        if len(spans) == 1:  # one term: every row once, nothing to sum
            if len(self.dead_rows):
                per_posting[~self.alive[rows]] = 0.0
            best_rows, best_scores = top_k_rows(rows, per_posting, k)
        else:
            # A row is listed once per term it has, each time with its whole score.
            scores = self._accumulate(rows, per_posting)
            best_rows, best_scores = top_k_rows(rows, scores, k, copies=len(spans))
        return self.ids[best_rows], best_scores

    def _accumulate(self, rows: np.ndarray, per_posting: np.ndarray) -> np.ndarray:
        """Each posting's row's total score, summed in a scratch array as long as the segment.

        Only the postings' rows are touched and reset: no pass over every row of a big segment.
        """
        with self._scratch_lock:
            if self._scratch is None:
                self._scratch = np.zeros(len(self.ids), dtype=np.float32)
            scratch = self._scratch
            try:
                np.add.at(scratch, rows, per_posting)
                scratch[self.dead_rows] = 0.0
                return scratch.take(rows)
            finally:
                if len(rows) > len(scratch) // 32:  # then one sweep beats scattered writes
                    scratch.fill(0.0)
                else:
                    scratch.put(rows, 0.0)

    def alive_part(
        self, n_terms: int
    ) -> tuple[np.ndarray, np.ndarray, sparse.csc_matrix, np.ndarray]:
        """Ids, lengths, term frequencies (widened to `n_terms` columns) and space codes of
        the alive rows."""
        tf = self.tf
        if len(self.dead_rows):
            tf = tf[np.flatnonzero(self.alive)]
        indptr = np.concatenate(
            [tf.indptr, np.full(n_terms - tf.shape[1], tf.indptr[-1], dtype=tf.indptr.dtype)]
        )
        widened = sparse.csc_matrix((tf.data, tf.indices, indptr), shape=(tf.shape[0], n_terms))
        return self.ids[self.alive], self.lengths[self.alive], widened, self.codes[self.alive]


_NO_IDS = np.zeros(0, dtype=np.int64)
_NO_SCORES = np.zeros(0, dtype=np.float32)


def top_k_rows(
    ids: np.ndarray, scores: np.ndarray, k: int, copies: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """The k best positive scores with their ids, best first, ties by ascending id.

    An id may be listed up to `copies` times, with the same score each time.
    """
    # Listings above the k-th best id belong to at most k−1 ids, so number fewer than
    # k·copies: the (k·copies)-th best listing scores no more than the k-th best id.
    enough = k * copies
    cut = 0.0
    if len(scores) > enough:
        cut = float(np.partition(scores, len(scores) - enough)[len(scores) - enough])
    # Ties at the cut all stay (ids decide among them below); nothing scoring 0 stays.
    kept = scores >= cut if cut > 0 else scores > 0
    ids, scores = ids[kept], scores[kept]
    if copies > 1:
        ids, first = np.unique(ids, return_index=True)
        scores = scores[first]
    order = np.lexsort((ids, -scores))[:k]
    return ids[order], scores[order]


def merged(segments: list[Segment], n_terms: int) -> Segment:
    """One segment of the alive rows of `segments`, rows sorted by id again."""
    parts = [segment.alive_part(n_terms) for segment in segments]
    ids = np.concatenate([p[0] for p in parts])
    lengths = np.concatenate([p[1] for p in parts])
    tf = sparse.vstack([p[2] for p in parts], format="csc")
    codes = np.concatenate([p[3] for p in parts])
    order = np.argsort(ids, kind="stable")
    if np.any(order[1:] < order[:-1]):
        tf = tf[order]
    tf.sort_indices()
    return Segment.of(ids[order], lengths[order], sparse.csc_matrix(tf), codes[order])


def narrow(counts: np.ndarray) -> np.ndarray:
    """Whole counts in the narrowest unsigned type that holds them (most fit one byte)."""
    top = int(counts.max()) if len(counts) else 0
    kind = next(t for t in (np.uint8, np.uint16, np.uint32, np.uint64) if top <= np.iinfo(t).max)
    return counts.astype(kind, copy=False)


def level_of(size: int) -> int:
    return 0 if size < LEVEL_BASE else 1 + int(math.log(size / LEVEL_BASE, FANOUT))
