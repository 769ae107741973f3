"""BM25 over search tokens, in segments so a note is added or removed without a rebuild."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from threading import Lock

import numpy as np
from scipy import sparse

from index.tokens import is_hangul

# Segments are merged Lucene-style by size level: a level holds segments within a factor of
# FANOUT of each other (everything under LEVEL_BASE documents is level 0), and FANOUT segments
# on one level become one. A document is merged about log_FANOUT(N) times in all, and the big
# segment of a bulk load is only merged once as many segments of its size have grown beside it.
FANOUT = 8
LEVEL_BASE = 1024
# A segment with more than this share of removed rows is rewritten without them.
DEAD_SHARE = 1 / 3


class _Vocabulary(dict[str, int]):
    """Term ids by token; looking up an unseen token with [] gives it the next id."""

    def __missing__(self, token: str) -> int:
        term = len(self)
        self[token] = term
        return term


@dataclass
class _Segment:
    """Raw term frequencies of some documents, rows sorted by id; removals only mark rows dead."""

    ids: np.ndarray  # int64 document id per row, ascending
    lengths: np.ndarray  # token count per row
    tf: sparse.csc_matrix  # rows × the terms known when it was built: term counts
    # The row's length beside each count, so a search reads lengths in order instead of
    # gathering them from all over `lengths`.
    posting_lengths: np.ndarray
    alive: np.ndarray  # bool per row
    dead_rows: np.ndarray  # int64 rows not alive (kept apart: usually few)
    _scratch: np.ndarray | None = None  # zeros between searches, one float per row
    _scratch_lock: Lock = field(default_factory=Lock)

    @classmethod
    def build(cls, ids: Sequence[int], docs: Sequence[list[str]], vocab: _Vocabulary) -> _Segment:
        """A segment of `docs` (ids unique), new tokens entering `vocab`."""
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
        return cls.of(id_array[order], lengths, tf)

    @classmethod
    def of(cls, ids: np.ndarray, lengths: np.ndarray, tf: sparse.csc_matrix) -> _Segment:
        """A segment over rows already sorted by id, counts and lengths stored narrow."""
        tf.data = _narrow(tf.data)
        lengths = _narrow(lengths)
        alive = np.ones(len(ids), dtype=bool)
        return cls(ids, lengths, tf, lengths[tf.indices], alive, np.zeros(0, dtype=np.int64))

    @property
    def size(self) -> int:
        """Rows still alive."""
        return len(self.ids) - len(self.dead_rows)

    def kill(self, ids: np.ndarray) -> None:
        """Mark the rows of `ids` (sorted) dead; ids not alive here are ignored."""
        at = np.searchsorted(self.ids, ids)
        inside = at < len(self.ids)
        at = at[inside]
        hit = at[(self.ids[at] == ids[inside]) & self.alive[at]]
        if len(hit):
            self.alive[hit] = False
            self.dead_rows = np.sort(np.concatenate((self.dead_rows, hit)))

    def top(
        self, terms: np.ndarray, weights: np.ndarray, k: int, k1: float, norm: tuple[float, float]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Ids and BM25 scores of the k best alive rows for `terms` (weights = idf · scale).

        `norm` is (k1·(1−b), k1·b/avgdl): the length normalisation with the index's current
        average length, so every segment scores as one from-scratch index would.
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
        if len(spans) == 1:  # one term: every row once, nothing to sum
            if len(self.dead_rows):
                per_posting[~self.alive[rows]] = 0.0
            best_rows, best_scores = _best(rows, per_posting, k)
        else:
            # A row is listed once per term it has, each time with its whole score.
            scores = self._accumulate(rows, per_posting)
            best_rows, best_scores = _best(rows, scores, k, copies=len(spans))
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

    def alive_part(self, n_terms: int) -> tuple[np.ndarray, np.ndarray, sparse.csc_matrix]:
        """Ids, lengths and term frequencies of the alive rows, widened to `n_terms` columns."""
        tf = self.tf
        if len(self.dead_rows):
            tf = tf[np.flatnonzero(self.alive)]
        indptr = np.concatenate(
            [tf.indptr, np.full(n_terms - tf.shape[1], tf.indptr[-1], dtype=tf.indptr.dtype)]
        )
        widened = sparse.csc_matrix((tf.data, tf.indices, indptr), shape=(tf.shape[0], n_terms))
        return self.ids[self.alive], self.lengths[self.alive], widened


_NO_IDS = np.zeros(0, dtype=np.int64)
_NO_SCORES = np.zeros(0, dtype=np.float32)


def _best(
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


def _merged(segments: list[_Segment], n_terms: int) -> _Segment:
    """One segment of the alive rows of `segments`, rows sorted by id again."""
    parts = [segment.alive_part(n_terms) for segment in segments]
    ids = np.concatenate([p[0] for p in parts])
    lengths = np.concatenate([p[1] for p in parts])
    tf = sparse.vstack([p[2] for p in parts], format="csc")
    order = np.argsort(ids, kind="stable")
    if np.any(order[1:] < order[:-1]):
        tf = tf[order]
    tf.sort_indices()
    return _Segment.of(ids[order], lengths[order], sparse.csc_matrix(tf))


def _narrow(counts: np.ndarray) -> np.ndarray:
    """Whole counts in the narrowest unsigned type that holds them (most fit one byte)."""
    top = int(counts.max()) if len(counts) else 0
    kind = next(t for t in (np.uint8, np.uint16, np.uint32, np.uint64) if top <= np.iinfo(t).max)
    return counts.astype(kind, copy=False)


def _level(size: int) -> int:
    return 0 if size < LEVEL_BASE else 1 + int(math.log(size / LEVEL_BASE, FANOUT))


class BM25Index:
    """Okapi BM25 over documents keyed by id, in segments that adds and removes never rebuild.

    Document frequencies and the total length are kept up to date on every add and remove,
    so idf and the average length are always those of the documents indexed now.
    """

    def __init__(self, k1: float = 1.2, b: float = 0.6) -> None:
        self.k1 = k1
        self.b = b
        self._docs: dict[int, list[str]] = {}
        self._pending: dict[int, list[str]] = {}  # added since the last read: the tail
        self._segments: list[_Segment] = []
        self._vocab = _Vocabulary()
        self._df = np.zeros(0, dtype=np.int64)  # documents per term id, over the segments
        self._indexed_length = 0  # tokens of the documents in the segments

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, doc_id: int, tokens: list[str]) -> None:
        """Index one document's tokens under its id (replacing any earlier ones)."""
        doc_id = int(doc_id)
        if doc_id in self._docs and doc_id not in self._pending:
            self._retire([doc_id])
        self._docs[doc_id] = tokens
        self._pending[doc_id] = tokens

    def add_many(self, doc_ids: Sequence[int], token_lists: Sequence[list[str]]) -> None:
        """Index many documents at once (a later duplicate id wins): the bulk load's way."""
        if len(doc_ids) != len(token_lists):
            raise ValueError("one token list per id")
        latest = dict(zip(map(int, doc_ids), token_lists, strict=True))
        self._flush()
        self._retire([doc_id for doc_id in latest if doc_id in self._docs])
        self._docs.update(latest)
        self._index(list(latest), list(latest.values()))

    def remove(self, doc_ids: Iterable[int]) -> None:
        """Forget documents (unknown ids are ignored)."""
        indexed: list[int] = []
        for doc_id in dict.fromkeys(map(int, doc_ids)):
            if doc_id in self._pending:
                del self._pending[doc_id], self._docs[doc_id]
            elif doc_id in self._docs:
                indexed.append(doc_id)
        self._retire(indexed)
        for doc_id in indexed:
            del self._docs[doc_id]
        self._compact()

    def tokens_of(self, doc_id: int) -> list[str]:
        """The tokens a document was indexed with."""
        return self._docs.get(int(doc_id), [])

    def split_compounds(self, tokens: list[str]) -> list[str]:
        """Question tokens with unknown Korean compounds split into known words.

        Korean spacing varies: a question's `행렬분해` is `행렬 분해` in the notes. An unknown
        Hangul token that splits into two known ones is replaced by them.
        """
        self._flush()
        out: list[str] = []
        for token in tokens:
            if self._known(token) or len(token) < 3 or not _is_hangul_word(token):
                out.append(token)
                continue
            for cut in range(len(token) - 1, 0, -1):
                head, tail = token[:cut], token[cut:]
                if self._known(head) and self._known(tail):
                    out.extend((head, tail))
                    break
            else:
                out.append(token)
        return out

    def knows(self, token: str, *, typos: bool = False) -> bool:
        """Whether any document has the token (or, with `typos`, a one-edit variant of it)."""
        self._flush()
        if self._known(token):
            return True
        return typos and len(token) >= 5 and any(self._known(v) for v in _one_edit(token))

    def idf(self, token: str) -> float:
        """The inverse document frequency of a token (0 for an unknown one)."""
        self._flush()
        if not self._known(token):
            return 0.0
        return float(self._idf(np.asarray([self._vocab[token]]))[0])

    def search(
        self, tokens: list[str], k: int, weights: dict[str, float] | None = None
    ) -> list[tuple[int, float]]:
        """The k best ids with their BM25 score, best first (ids scoring 0 are left out).

        `weights` scales the contribution of some tokens (1 for the others).
        """
        self._flush()
        wanted = {t: (weights or {}).get(t, 1.0) for t in tokens if self._known(t)}
        if not wanted or k <= 0:
            return []
        terms = np.asarray([self._vocab[t] for t in wanted], dtype=np.int64)
        scale = np.asarray(list(wanted.values()), dtype=np.float32)
        term_weights = self._idf(terms) * scale
        n_docs = len(self._docs)
        avg_len = self._indexed_length / n_docs if n_docs else 1.0
        norm = (self.k1 * (1 - self.b), self.k1 * self.b / max(avg_len, 1e-9))
        found = [s.top(terms, term_weights, k, self.k1, norm) for s in self._segments]
        if len(found) == 1:
            ids, scores = found[0]
        else:
            ids, scores = _best(
                np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found]), k
            )
        return list(zip(ids.tolist(), scores.tolist(), strict=True))

    def max_score(self, tokens: list[str]) -> float:
        """An upper bound of the score `tokens` can get: the sum of their idf-weighted maxima."""
        self._flush()
        terms = [self._vocab[t] for t in set(tokens) if self._known(t)]
        total = float(self._idf(np.asarray(terms, dtype=np.int64)).astype(np.float64).sum())
        return total * (self.k1 + 1) or math.inf

    # -- segments ------------------------------------------------------------------------

    def _known(self, token: str) -> bool:
        term = self._vocab.get(token)
        return term is not None and bool(self._df[term] > 0)

    def _idf(self, terms: np.ndarray) -> np.ndarray:
        n_docs = max(len(self._docs), 1)
        df = self._df[terms].astype(np.float32)
        return np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)

    def _flush(self) -> None:
        """Turn the documents added since the last read into a segment of their own."""
        if self._pending:
            pending, self._pending = self._pending, {}
            self._index(list(pending), list(pending.values()))

    def _index(self, doc_ids: list[int], token_lists: list[list[str]]) -> None:
        if not doc_ids:
            return
        segment = _Segment.build(doc_ids, token_lists, self._vocab)
        if len(self._df) < len(self._vocab):
            grown = np.zeros(max(len(self._vocab), 2 * len(self._df)), dtype=np.int64)
            grown[: len(self._df)] = self._df
            self._df = grown
        self._df[: segment.tf.shape[1]] += np.diff(segment.tf.indptr)
        self._indexed_length += int(segment.lengths.sum(dtype=np.int64))
        self._segments.append(segment)
        self._compact()

    def _retire(self, doc_ids: list[int]) -> None:
        """Take indexed documents out of the statistics and mark their rows dead."""
        if not doc_ids:
            return
        terms = [self._vocab[t] for doc_id in doc_ids for t in set(self._docs[doc_id])]
        np.subtract.at(self._df, np.asarray(terms, dtype=np.int64), 1)
        self._indexed_length -= sum(len(self._docs[doc_id]) for doc_id in doc_ids)
        ids = np.unique(np.asarray(doc_ids, dtype=np.int64))
        for segment in self._segments:
            segment.kill(ids)

    def _compact(self) -> None:
        """Drop empty segments, rewrite mostly dead ones, merge full levels."""
        segments: list[_Segment] = []
        for segment in self._segments:
            if segment.size == 0:
                continue
            if len(segment.dead_rows) > DEAD_SHARE * len(segment.ids):
                segment = _merged([segment], len(self._vocab))
            segments.append(segment)
        while True:
            by_level: dict[int, list[_Segment]] = {}
            for segment in segments:
                by_level.setdefault(_level(segment.size), []).append(segment)
            full = next((group for group in by_level.values() if len(group) >= FANOUT), None)
            if full is None:
                break
            segments = [s for s in segments if all(s is not f for f in full)]
            segments.append(_merged(full, len(self._vocab)))
        self._segments = segments


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, substitution, insertion or swap away (Latin letters)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return deletes | swaps | replaces | inserts


def _is_hangul_word(token: str) -> bool:
    return all(map(is_hangul, token))
