"""BM25 read for some spaces scores and knows words as an index of their documents alone."""

from __future__ import annotations

import math
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from index import lexical_segments
from index.lexical import BM25Index
from tests.index.test_lexical_updates import (
    K1,
    WORDS,
    B,
    ReferenceBM25,
    assert_same_search,
    close,
)

SPACES = ["a", "b", "shared"]
SEEN = [("a",), ("b",), ("a", "shared"), ("b", "shared"), ("shared",), ("nobody",)]

documents = st.lists(st.sampled_from(WORDS), max_size=10)
ids = st.integers(0, 15)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), ids, documents, st.sampled_from(SPACES)),
        st.tuples(st.just("add_many"),
                  st.lists(st.tuples(ids, documents, st.sampled_from(SPACES)), max_size=6)),
        st.tuples(st.just("remove"), st.lists(st.integers(-3, 20), max_size=5)),
    ),
    max_size=30,
)


class SpacedReference:
    """One reference BM25 per space: what each space's documents alone would give."""

    def __init__(self) -> None:
        self.docs: dict[int, tuple[list[str], str]] = {}

    def seen(self, spaces: tuple[str, ...]) -> ReferenceBM25:
        ref = ReferenceBM25()
        ref.docs = {i: doc for i, (doc, space) in self.docs.items() if space in spaces}
        return ref


def apply(index: BM25Index, ref: SpacedReference, ops: list[tuple]) -> None:  # type: ignore[type-arg]
    for op in ops:
        if op[0] == "add":
            index.add(op[1], op[2], op[3])
            ref.docs[op[1]] = (op[2], op[3])
        elif op[0] == "add_many":
            index.add_many([i for i, _, _ in op[1]], [d for _, d, _ in op[1]],
                           [s for _, _, s in op[1]])
            ref.docs.update({i: (d, s) for i, d, s in op[1]})
        else:
            index.remove(op[1])
            for doc_id in op[1]:
                ref.docs.pop(doc_id, None)


def assert_same_for(index: BM25Index, ref: ReferenceBM25, spaces: tuple[str, ...]) -> None:
    """idf, known words, bounds and searches of `spaces` agree with their own reference."""
    for word in [*WORDS, "unknown"]:
        assert close(index.idf(word, spaces), ref.idf(word)), (spaces, word)
        assert index.knows(word, spaces=spaces) == (ref.idf(word) > 0), (spaces, word)
    bound = sum(ref.idf(w) for w in set(WORDS)) * (K1 + 1)
    found = index.max_score(WORDS, spaces)
    assert close(found, bound) if bound else found == math.inf
    for first in WORDS:
        tokens, weights = [first, "모델"], {"모델": 0.5}
        expected = ref.scores(tokens, weights)
        got = index.search(tokens, 5, weights, spaces)
        assert {doc_id for doc_id, _ in got} <= set(expected), spaces
        scoped = _Scoped(index, spaces)
        assert_same_search(scoped, ref, tokens, 5, weights)  # type: ignore[arg-type]


class _Scoped:
    """A BM25Index read through one set of spaces, shaped as `assert_same_search` reads it."""

    def __init__(self, index: BM25Index, spaces: tuple[str, ...]) -> None:
        self.index, self.spaces = index, spaces

    def search(self, tokens: list[str], k: int,
               weights: dict[str, float] | None = None) -> list[tuple[int, float]]:
        return self.index.search(tokens, k, weights, self.spaces)


@settings(max_examples=120, deadline=None)
@given(ops=operations, fanout=st.sampled_from([2, 3, 8]))
def test_each_space_reads_as_its_own_index(ops: list[tuple], fanout: int) -> None:  # type: ignore[type-arg]
    """After any adds, moves between spaces and removes, merged at any fan-out, every set of
    spaces gets the idf, vocabulary and scores of an index of its documents alone."""
    with mock.patch.object(lexical_segments, "FANOUT", fanout), mock.patch.object(
        lexical_segments, "LEVEL_BASE", 4
    ):
        index, ref = BM25Index(K1, B), SpacedReference()
        apply(index, ref, ops)
        for spaces in SEEN:
            assert_same_for(index, ref.seen(spaces), spaces)


def test_another_spaces_word_changes_nothing_here() -> None:
    """A word only space `a` holds leaves `b`'s idf, vocabulary, compounds and scores as
    they were, to the bit."""
    index = BM25Index(K1, B)
    index.add_many([1, 2, 3], [["행렬", "분해", "모델"], ["모델", "loss"], ["tensor"]],
                   ["b", "b", "shared"])
    seen = ("b", "shared")

    def reading() -> tuple[object, ...]:
        return (
            [index.idf(w, seen) for w in [*WORDS, "쿠버네티스"]],
            index.knows("쿠버네티스", spaces=seen),
            index.knows("kubernetes", typos=True, spaces=seen),
            index.split_compounds(["쿠버네티스파드", "행렬분해"], seen),
            index.search(["모델", "쿠버네티스", "loss"], 5, None, seen),
            index.max_score(["모델", "쿠버네티스"], seen),
        )

    before = reading()
    index.add(4, ["쿠버네티스", "파드", "모델", "kubernetes"], "a")
    index.add_many([5, 6], [["쿠버네티스"], ["모델"] * 30], ["a", "a"])
    assert reading() == before
    assert index.knows("쿠버네티스", spaces=("a",))
    assert index.split_compounds(["쿠버네티스파드"], ("a",)) == ["쿠버네티스", "파드"]
    index.remove([4, 5, 6])
    assert reading() == before


def test_one_space_reads_as_the_whole_index() -> None:
    """When the spaces read hold every document, the scores are the unscoped ones exactly."""
    index = BM25Index(K1, B)
    docs = [[WORDS[(i * j) % len(WORDS)] for j in range(i % 5 + 1)] for i in range(40)]
    index.add_many(list(range(40)), docs, ["local"] * 40)
    assert index.search(WORDS, 20, None, ("local", "shared")) == index.search(WORDS, 20)
    assert index.idf("모델", ("local",)) == index.idf("모델")


def test_a_document_moved_to_another_space_counts_there_only() -> None:
    """Adding an id again under another space moves it, in the statistics as in the results."""
    index = BM25Index(K1, B)
    index.add(1, ["모델"], "a")
    index.add(2, ["loss"], "a")
    index.search(["모델"], 1)  # both now sit in a segment
    index.add(1, ["모델"], "b")
    assert not index.knows("모델", spaces=("a",)) and index.knows("모델", spaces=("b",))
    assert index.search(["모델"], 5, None, ("a",)) == []
    assert [d for d, _ in index.search(["모델"], 5, None, ("b",))] == [1]
