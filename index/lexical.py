"""BM25 over search tokens, as a sparse matrix so it stays fast as the notes grow."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from scipy import sparse

from index.tokens import is_hangul


class BM25Index:
    """Okapi BM25 over documents keyed by id; rebuilt lazily after adds and removes."""

    def __init__(self, k1: float = 1.2, b: float = 0.6) -> None:
        self.k1 = k1
        self.b = b
        self._docs: dict[int, list[str]] = {}
        self._dirty = True
        self._ids = np.zeros(0, dtype=np.int64)
        self._vocab: dict[str, int] = {}
        self._idf = np.zeros(0, dtype=np.float32)
        self._matrix: sparse.csc_matrix | None = None

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, doc_id: int, tokens: list[str]) -> None:
        """Index one document's tokens under its id (replacing any earlier ones)."""
        self._docs[int(doc_id)] = tokens
        self._dirty = True

    def remove(self, doc_ids: list[int]) -> None:
        """Forget documents (unknown ids are ignored)."""
        for doc_id in doc_ids:
            self._docs.pop(int(doc_id), None)
        self._dirty = True

    def tokens_of(self, doc_id: int) -> list[str]:
        """The tokens a document was indexed with."""
        return self._docs.get(int(doc_id), [])

    def split_compounds(self, tokens: list[str]) -> list[str]:
        """Question tokens with unknown Korean compounds split into known words.

        Korean spacing varies: a question's `행렬분해` is `행렬 분해` in the notes. An unknown
        Hangul token that splits into two known ones is replaced by them.
        """
        self._build()
        out: list[str] = []
        for token in tokens:
            if token in self._vocab or len(token) < 3 or not _is_hangul_word(token):
                out.append(token)
                continue
            for cut in range(len(token) - 1, 0, -1):
                head, tail = token[:cut], token[cut:]
                if head in self._vocab and tail in self._vocab:
                    out.extend((head, tail))
                    break
            else:
                out.append(token)
        return out

    def knows(self, token: str, *, typos: bool = False) -> bool:
        """Whether any document has the token (or, with `typos`, a one-edit variant of it)."""
        self._build()
        if token in self._vocab:
            return True
        return typos and len(token) >= 5 and any(v in self._vocab for v in _one_edit(token))

    def idf(self, token: str) -> float:
        """The inverse document frequency of a token (0 for an unknown one)."""
        self._build()
        column = self._vocab.get(token)
        return float(self._idf[column]) if column is not None else 0.0

    def _build(self) -> None:
        if not self._dirty:
            return
        ids = sorted(self._docs)
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[float] = []
        lengths = np.zeros(len(ids), dtype=np.float32)
        for row, doc_id in enumerate(ids):
            tokens = self._docs[doc_id]
            lengths[row] = len(tokens)
            for token, tf in Counter(tokens).items():
                rows.append(row)
                cols.append(vocab.setdefault(token, len(vocab)))
                tfs.append(tf)
        n_docs = max(len(ids), 1)
        avg_len = float(lengths.mean()) if len(ids) else 1.0
        tf = np.asarray(tfs, dtype=np.float32)
        row_idx = np.asarray(rows, dtype=np.int64)
        col_idx = np.asarray(cols, dtype=np.int64)
        df = np.bincount(col_idx, minlength=len(vocab)).astype(np.float32)
        self._idf = np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        norm = self.k1 * (1 - self.b + self.b * lengths[row_idx] / max(avg_len, 1e-9))
        weights = self._idf[col_idx] * tf * (self.k1 + 1) / (tf + norm)
        self._matrix = sparse.csc_matrix(
            (weights, (row_idx, col_idx)), shape=(len(ids), len(vocab)), dtype=np.float32
        )
        self._ids = np.asarray(ids, dtype=np.int64)
        self._vocab = vocab
        self._dirty = False

    def search(
        self, tokens: list[str], k: int, weights: dict[str, float] | None = None
    ) -> list[tuple[int, float]]:
        """The k best ids with their BM25 score, best first (ids scoring 0 are left out).

        `weights` scales the contribution of some tokens (1 for the others).
        """
        self._build()
        wanted = {t: (weights or {}).get(t, 1.0) for t in tokens if t in self._vocab}
        if not wanted or self._matrix is None:
            return []
        columns = [self._vocab[t] for t in wanted]
        scale = np.asarray(list(wanted.values()), dtype=np.float32)
        scores = np.asarray(self._matrix[:, columns] @ scale).ravel()
        k = min(k, int((scores > 0).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self._ids[i]), float(scores[i])) for i in top]

    def max_score(self, tokens: list[str]) -> float:
        """An upper bound of the score `tokens` can get: the sum of their idf-weighted maxima."""
        self._build()
        total = 0.0
        for token in set(tokens):
            column = self._vocab.get(token)
            if column is not None:
                total += float(self._idf[column]) * (self.k1 + 1)
        return total or math.inf


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
