"""BM25 over search tokens, in segments so a note is added or removed without a rebuild."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from index import lexical_segments
from index.lexical_segments import (
    DEAD_SHARE,
    Segment,
    Vocabulary,
    level_of,
    merged,
    top_k_rows,
)
from index.tokens import is_hangul


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
        self._segments: list[Segment] = []
        self._vocab = Vocabulary()
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
            ids, scores = top_k_rows(
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
        segment = Segment.build(doc_ids, token_lists, self._vocab)
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
        segments: list[Segment] = []
        for segment in self._segments:
            if segment.size == 0:
                continue
            if len(segment.dead_rows) > DEAD_SHARE * len(segment.ids):
                segment = merged([segment], len(self._vocab))
            segments.append(segment)
        while True:
            by_level: dict[int, list[Segment]] = {}
            for segment in segments:
                by_level.setdefault(level_of(segment.size), []).append(segment)
            fanout = lexical_segments.FANOUT  # read here: tests lower it
            full = next((group for group in by_level.values() if len(group) >= fanout), None)
            if full is None:
                break
            segments = [s for s in segments if all(s is not f for f in full)]
            segments.append(merged(full, len(self._vocab)))
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
