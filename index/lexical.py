"""BM25 over search tokens, in segments so a note is added or removed without a rebuild."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

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

Spaces = Collection[str] | None  # the spaces a read may see; None: every document


@dataclass(frozen=True)
class _Scope:
    """The documents a read sees (some spaces, or all) and their BM25 statistics."""

    n_docs: int
    length: int  # their tokens
    df: tuple[np.ndarray, ...]  # documents per term id, one array per space seen
    codes: frozenset[int] | None  # the space codes searched; None: no filter needed

    def frequencies(self, terms: np.ndarray) -> np.ndarray:
        """Documents per term among the documents seen."""
        counts = np.zeros(len(terms), dtype=np.int64)
        for df in self.df:
            counts += df[terms]
        return counts

    def has(self, term: int) -> bool:
        """Whether a document seen holds the term."""
        return any(df[term] > 0 for df in self.df)


class BM25Index:
    """Okapi BM25 over documents keyed by id, in segments that adds and removes never rebuild.

    Document frequencies and the total length are kept up to date on every add and remove,
    in all and per space, so idf and the average length are always those of the documents
    indexed now that a read may see: a space's words never change another space's scores.
    """

    def __init__(self, k1: float = 1.2, b: float = 0.6) -> None:
        self.k1 = k1
        self.b = b
        self._docs: dict[int, list[str]] = {}
        # Added since the last read (the tail): tokens and space code.
        self._pending: dict[int, tuple[list[str], int]] = {}
        self._segments: list[Segment] = []
        self._vocab = Vocabulary()
        self._df = np.zeros(0, dtype=np.int64)  # documents per term id, over the segments
        self._indexed_length = 0  # tokens of the documents in the segments
        # Per space (by code; "" is the unnamed space): the same statistics.
        self._codes: dict[str, int] = {}
        self._space_df: list[np.ndarray] = []
        self._space_docs: list[int] = []
        self._space_length: list[int] = []
        self._code("")  # code 0: documents added without a space

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, doc_id: int, tokens: list[str], space: str = "") -> None:
        """Index one document's tokens under its id in `space` (replacing any earlier ones)."""
        doc_id = int(doc_id)
        if doc_id in self._docs and doc_id not in self._pending:
            self._retire([doc_id])
        self._docs[doc_id] = tokens
        self._pending[doc_id] = (tokens, self._code(space))

    def add_many(self, doc_ids: Sequence[int], token_lists: Sequence[list[str]],
                 spaces: Sequence[str] | None = None) -> None:
        """Index many documents at once (a later duplicate id wins): the bulk load's way;
        `spaces` names each one's space (none given: the unnamed space "")."""
        if len(doc_ids) != len(token_lists) or (spaces is not None and
                                               len(spaces) != len(doc_ids)):
            raise ValueError("one token list (and space) per id")
        codes = [0] * len(doc_ids) if spaces is None else [self._code(s) for s in spaces]
        latest = {int(d): (t, c) for d, t, c in zip(doc_ids, token_lists, codes, strict=True)}
        self._flush()
        self._retire([doc_id for doc_id in latest if doc_id in self._docs])
        self._docs.update((doc_id, tokens) for doc_id, (tokens, _) in latest.items())
        self._index(latest)

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

    def split_compounds(self, tokens: list[str], spaces: Spaces = None) -> list[str]:
        """Question tokens with unknown Korean compounds split into known words.

        Korean spacing varies: a question's `행렬분해` is `행렬 분해` in the notes. An unknown
        Hangul token that splits into two known ones (in `spaces`' documents) is replaced by them.
        """
        scope = self._scope(spaces)
        out: list[str] = []
        for token in tokens:
            if self._known(token, scope) or len(token) < 3 or not _is_hangul_word(token):
                out.append(token)
                continue
            for cut in range(len(token) - 1, 0, -1):
                head, tail = token[:cut], token[cut:]
                if self._known(head, scope) and self._known(tail, scope):
                    out.extend((head, tail))
                    break
            else:
                out.append(token)
        return out

    def knows(self, token: str, *, typos: bool = False, spaces: Spaces = None) -> bool:
        """Whether any document (of `spaces`) has the token (or, with `typos`, a one-edit
        variant of it)."""
        scope = self._scope(spaces)
        if self._known(token, scope):
            return True
        return typos and len(token) >= 5 and any(self._known(v, scope) for v in _one_edit(token))

    def idf(self, token: str, spaces: Spaces = None) -> float:
        """The inverse document frequency of a token among `spaces`' documents (0 for a token
        none of them has)."""
        scope = self._scope(spaces)
        if not self._known(token, scope):
            return 0.0
        return float(self._idf(np.asarray([self._vocab[token]]), scope)[0])

    def search(
        self, tokens: list[str], k: int, weights: dict[str, float] | None = None,
        spaces: Spaces = None,
    ) -> list[tuple[int, float]]:
        """The k best ids with their BM25 score, best first (ids scoring 0 are left out).

        `weights` scales the contribution of some tokens (1 for the others). With `spaces`,
        only their documents are searched, scored as an index of them alone would.
        """
        scope = self._scope(spaces)
        wanted = {t: (weights or {}).get(t, 1.0) for t in tokens if self._known(t, scope)}
        if not wanted or k <= 0:
            return []
        terms = np.asarray([self._vocab[t] for t in wanted], dtype=np.int64)
        scale = np.asarray(list(wanted.values()), dtype=np.float32)
        term_weights = self._idf(terms, scope) * scale
        avg_len = scope.length / scope.n_docs if scope.n_docs else 1.0
        norm = (self.k1 * (1 - self.b), self.k1 * self.b / max(avg_len, 1e-9))
        found = [s.top(terms, term_weights, k, self.k1, norm, scope.codes)
                 for s in self._segments]
        if len(found) == 1:
            ids, scores = found[0]
        else:
            ids, scores = top_k_rows(
                np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found]), k
            )
        return list(zip(ids.tolist(), scores.tolist(), strict=True))

    def max_score(self, tokens: list[str], spaces: Spaces = None) -> float:
        """An upper bound of the score `tokens` can get (in `spaces`): the sum of their
        idf-weighted maxima."""
        scope = self._scope(spaces)
        terms = [self._vocab[t] for t in set(tokens) if self._known(t, scope)]
        idf = self._idf(np.asarray(terms, dtype=np.int64), scope)
        return float(idf.astype(np.float64).sum()) * (self.k1 + 1) or math.inf

    # -- statistics per space --------------------------------------------------------------

    def _code(self, space: str) -> int:
        """The code of a space, new spaces getting the next one."""
        code = self._codes.get(space)
        if code is None:
            code = self._codes[space] = len(self._codes)
            self._space_df.append(np.zeros(len(self._df), dtype=np.int32))
            self._space_docs.append(0)
            self._space_length.append(0)
        return code

    def _scope(self, spaces: Spaces) -> _Scope:
        """What a read of `spaces` sees (pending documents indexed first)."""
        self._flush()
        if spaces is not None:
            codes = frozenset(self._codes[s] for s in spaces if s in self._codes)
            held = {c for c, n in enumerate(self._space_docs) if n}
            if not held <= codes:  # some other space holds documents: its own statistics
                return _Scope(
                    n_docs=sum(self._space_docs[c] for c in codes),
                    length=sum(self._space_length[c] for c in codes),
                    df=tuple(self._space_df[c] for c in sorted(codes)),
                    codes=codes,
                )
        # Every document seen: the whole index's statistics, exactly as without spaces.
        return _Scope(len(self._docs), self._indexed_length, (self._df,), None)

    def _known(self, token: str, scope: _Scope) -> bool:
        term = self._vocab.get(token)
        return term is not None and scope.has(term)

    def _idf(self, terms: np.ndarray, scope: _Scope) -> np.ndarray:
        n_docs = max(scope.n_docs, 1)
        df = scope.frequencies(terms).astype(np.float32)
        return np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)

    # -- segments ------------------------------------------------------------------------

    def _flush(self) -> None:
        """Turn the documents added since the last read into a segment of their own."""
        if self._pending:
            pending, self._pending = self._pending, {}
            self._index(pending)

    def _index(self, docs: dict[int, tuple[list[str], int]]) -> None:
        """Index documents (id → tokens and space code) as one new segment."""
        if not docs:
            return
        codes = [code for _, code in docs.values()]
        segment = Segment.build(list(docs), [t for t, _ in docs.values()], self._vocab, codes)
        if len(self._df) < len(self._vocab):
            size = max(len(self._vocab), 2 * len(self._df))
            self._df = _grown(self._df, size)
            self._space_df = [_grown(df, size) for df in self._space_df]
        counts = np.diff(segment.tf.indptr)
        self._df[: len(counts)] += counts
        for code in segment.code_set:
            self._space_df[code][: len(counts)] += segment.column_counts(code)
            rows = segment.codes == code
            self._space_docs[code] += int(rows.sum())
            self._space_length[code] += int(segment.lengths[rows].sum(dtype=np.int64))
        self._indexed_length += int(segment.lengths.sum(dtype=np.int64))
        self._segments.append(segment)
        self._compact()

    def _retire(self, doc_ids: list[int]) -> None:
        """Take indexed documents out of the statistics and mark their rows dead."""
        if not doc_ids:
            return
        ids = np.unique(np.asarray(doc_ids, dtype=np.int64))
        killed = [segment.kill(ids) for segment in self._segments]
        code_of = dict(zip(np.concatenate([k[0] for k in killed]).tolist(),
                           np.concatenate([k[1] for k in killed]).tolist(), strict=True))
        by_code: dict[int, list[int]] = {}
        for doc_id in doc_ids:
            terms = [self._vocab[t] for t in set(self._docs[doc_id])]
            by_code.setdefault(code_of[doc_id], []).extend(terms)
            self._indexed_length -= len(self._docs[doc_id])
            self._space_length[code_of[doc_id]] -= len(self._docs[doc_id])
            self._space_docs[code_of[doc_id]] -= 1
        for code, terms in by_code.items():
            at = np.asarray(terms, dtype=np.int64)
            np.subtract.at(self._df, at, 1)
            np.subtract.at(self._space_df[code], at, 1)

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


def _grown(counts: np.ndarray, size: int) -> np.ndarray:
    """`counts` with zeros appended up to `size`."""
    grown = np.zeros(size, dtype=counts.dtype)
    grown[: len(counts)] = counts
    return grown


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
