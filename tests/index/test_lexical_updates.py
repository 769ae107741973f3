"""BM25 after any adds, replaces and removes scores exactly as a from-scratch BM25 would."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from index import lexical_segments
from index.lexical import BM25Index

K1, B = 1.2, 0.6
WORDS = ["행렬", "분해", "모델", "데이터", "loss", "tensor", "배치", "학습", "collate_fn"]
REL = 1e-5  # float32 rounding


class ReferenceBM25:
    """The textbook Okapi BM25, recomputed from the documents at every question."""

    def __init__(self) -> None:
        self.docs: dict[int, list[str]] = {}

    def idf(self, token: str) -> float:
        df = sum(token in doc for doc in self.docs.values())
        if df == 0:
            return 0.0
        n = max(len(self.docs), 1)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def scores(self, tokens: list[str], weights: dict[str, float]) -> dict[int, float]:
        avgdl = sum(map(len, self.docs.values())) / len(self.docs) if self.docs else 1.0
        out: dict[int, float] = {}
        for doc_id, doc in self.docs.items():
            tf = Counter(doc)
            score = 0.0
            for token in dict.fromkeys(tokens):
                f = tf[token]
                if f:
                    norm = K1 * (1 - B + B * len(doc) / max(avgdl, 1e-9))
                    score += weights.get(token, 1.0) * self.idf(token) * f * (K1 + 1) / (f + norm)
            if score > 0:
                out[doc_id] = score
        return out


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL, abs_tol=1e-6)


def assert_same_search(
    index: BM25Index, ref: ReferenceBM25, tokens: list[str], k: int,
    weights: dict[str, float] | None = None,
) -> None:
    """The index's top k is a top k of the reference, with the reference's scores."""
    expected = ref.scores(tokens, weights or {})
    found = index.search(tokens, k, weights)
    assert len(found) == min(k, len(expected))
    assert len({doc_id for doc_id, _ in found}) == len(found)
    for doc_id, score in found:
        assert doc_id in expected and close(score, expected[doc_id]), (doc_id, score)
    scores = [score for _, score in found]
    assert all(a >= b for a, b in itertools.pairwise(scores))
    if found:
        left_out = [s for d, s in expected.items() if d not in {i for i, _ in found}]
        assert all(s <= scores[-1] or close(s, scores[-1]) for s in left_out)


def assert_same_statistics(index: BM25Index, ref: ReferenceBM25) -> None:
    """Length, idf, known words and score bounds agree with the reference."""
    assert len(index) == len(ref.docs)
    for word in [*WORDS, "unknown"]:
        assert close(index.idf(word), ref.idf(word)), word
        assert index.knows(word) == (ref.idf(word) > 0)
    bound = sum(ref.idf(w) for w in set(WORDS)) * (K1 + 1)
    assert close(index.max_score(WORDS), bound) if bound else index.max_score(WORDS) == math.inf
    for doc_id, doc in ref.docs.items():
        assert index.tokens_of(doc_id) == doc


documents = st.lists(st.sampled_from(WORDS), max_size=12)
ids = st.integers(0, 15)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), ids, documents),
        st.tuples(st.just("add_many"), st.lists(st.tuples(ids, documents), max_size=6)),
        st.tuples(st.just("remove"), st.lists(st.integers(-3, 20), max_size=5)),
        st.tuples(st.just("search"), st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
                  st.integers(1, 8)),
    ),
    max_size=40,
)


def run(index: BM25Index, ref: ReferenceBM25, ops: list[tuple]) -> None:  # type: ignore[type-arg]
    """Apply `ops` to both, comparing every search on the way."""
    for op in ops:
        if op[0] == "add":
            index.add(op[1], op[2])
            ref.docs[op[1]] = op[2]
        elif op[0] == "add_many":
            index.add_many([i for i, _ in op[1]], [d for _, d in op[1]])
            ref.docs.update(dict(op[1]))
        elif op[0] == "remove":
            index.remove(op[1])
            for doc_id in op[1]:
                ref.docs.pop(doc_id, None)
        else:
            assert_same_search(index, ref, op[1], op[2])


@settings(max_examples=150, deadline=None)
@given(ops=operations, fanout=st.sampled_from([2, 3, 8]))
def test_any_sequence_scores_as_from_scratch(ops: list[tuple], fanout: int) -> None:  # type: ignore[type-arg]
    """Adds, replaces and removes in any order, merged at any fan-out: same scores and idf."""
    with mock.patch.object(lexical_segments, "FANOUT", fanout), mock.patch.object(
        lexical_segments, "LEVEL_BASE", 4
    ):
        index, ref = BM25Index(K1, B), ReferenceBM25()
        run(index, ref, ops)
        assert_same_statistics(index, ref)
        for first in WORDS:
            assert_same_search(index, ref, [first, "모델"], 5, {"모델": 0.5})


def test_idf_exact_after_removes() -> None:
    """Removing documents lowers their words' document frequency and the count at once."""
    index, ref = BM25Index(K1, B), ReferenceBM25()
    for doc_id in range(10):
        doc = ["모델", "학습"] if doc_id % 2 else ["모델", "loss", "loss"]
        index.add(doc_id, doc)
        ref.docs[doc_id] = doc
    assert close(index.idf("loss"), ref.idf("loss"))
    index.remove([0, 2, 4])
    for doc_id in (0, 2, 4):
        del ref.docs[doc_id]
    assert_same_statistics(index, ref)
    index.remove([6, 8])
    assert not index.knows("loss") and index.idf("loss") == 0.0
    assert index.search(["loss"], 3) == []


def test_search_after_merges() -> None:
    """Many small notes, each searched after it lands, leave few segments and exact scores."""
    index, ref = BM25Index(K1, B), ReferenceBM25()
    for note in range(40):
        for passage in range(5):
            doc_id = note * 5 + passage
            doc = [WORDS[(doc_id * 7 + j) % len(WORDS)] for j in range(doc_id % 6 + 1)]
            index.add(doc_id, doc)
            ref.docs[doc_id] = doc
        if note % 3 == 0:
            index.remove([note * 5 - 3])
            ref.docs.pop(note * 5 - 3, None)
        assert_same_search(index, ref, ["모델", "tensor"], 10)
    assert len(index._segments) < 2 * lexical_segments.FANOUT
    assert_same_statistics(index, ref)


def test_replacing_counts_only_the_new_tokens() -> None:
    """Adding an id again replaces its document, in the statistics as in the scores."""
    index, ref = BM25Index(K1, B), ReferenceBM25()
    for doc_id, doc in enumerate([["행렬", "분해"], ["모델"], ["모델", "배치"]]):
        index.add(doc_id, doc)
        ref.docs[doc_id] = doc
    index.search(["모델"], 3)  # the first three now sit in a segment
    index.add(0, ["tensor"])
    ref.docs[0] = ["tensor"]
    assert not index.knows("행렬")
    assert index.split_compounds(["행렬분해"]) == ["행렬분해"]
    assert_same_statistics(index, ref)
    assert_same_search(index, ref, ["tensor", "모델"], 3)


def test_mostly_removed_segment_is_rewritten() -> None:
    """A segment whose rows are mostly removed is rewritten without them."""
    index = BM25Index(K1, B)
    index.add_many(list(range(30)), [["모델", str(i)] for i in range(30)])
    index.remove(list(range(20)))
    assert sum(len(s.ids) for s in index._segments) == 10
    assert [doc_id for doc_id, _ in index.search(["모델"], 3)] == [20, 21, 22]


def test_removing_unknown_ids_is_harmless() -> None:
    """Ids never added, already removed or given twice change nothing."""
    index, ref = BM25Index(K1, B), ReferenceBM25()
    index.remove([1, 2])
    for doc_id in range(4):
        index.add(doc_id, ["모델", WORDS[doc_id]])
        ref.docs[doc_id] = ["모델", WORDS[doc_id]]
    index.search(["모델"], 1)
    index.remove([3, 3, 99, -1])
    index.remove([3])
    del ref.docs[3]
    assert_same_statistics(index, ref)
    assert_same_search(index, ref, ["모델", "분해"], 4)


def test_add_many_is_many_adds() -> None:
    """A batch add scores exactly like one add per document, replacing ids it repeats."""
    one, many, ref = BM25Index(K1, B), BM25Index(K1, B), ReferenceBM25()
    docs = {i: [WORDS[(i * j) % len(WORDS)] for j in range(i % 5 + 1)] for i in range(20)}
    for doc_id, doc in docs.items():
        one.add(doc_id, doc)
    many.add(3, ["행렬"])
    many.add_many(list(docs), list(docs.values()))
    ref.docs.update(docs)
    for index in (one, many):
        assert_same_statistics(index, ref)
        assert_same_search(index, ref, ["모델", "loss", "배치"], 7)
    assert one.search(WORDS, 20) == many.search(WORDS, 20)


def test_searches_leave_no_trace() -> None:
    """One search's partial sums never reach the next, whether few or many rows were hit."""
    index, ref = BM25Index(K1, B), ReferenceBM25()
    for doc_id in range(1000):
        doc = ["모델"] * (doc_id % 3 + 1)
        doc += ["행렬"] * (doc_id % 100 == 0) + ["tensor"] * (doc_id % 250 == 0)
        index.add(doc_id, doc)
        ref.docs[doc_id] = doc
    index.search(["모델"], 1)
    index.remove([0, 100])  # rows of the big segment that the rare words' postings still list
    del ref.docs[0], ref.docs[100]
    for query in (["행렬", "tensor"], ["모델", "tensor"], ["행렬", "tensor"], ["행렬"], ["모델"]):
        assert_same_search(index, ref, query, 5)


def test_empty_index() -> None:
    """An empty or emptied index finds nothing and knows no word."""
    index = BM25Index(K1, B)
    assert index.search(["모델"], 5) == [] and index.max_score(["모델"]) == math.inf
    index.add(1, [])
    index.add(2, ["모델"])
    assert index.search(["모델"], 5)[0][0] == 2
    index.remove([1, 2])
    assert len(index) == 0 and not index.knows("모델") and index.search(["모델"], 5) == []
