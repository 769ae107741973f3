"""The hybrid index ranks only the passages of the spaces a question may see."""

from __future__ import annotations

import numpy as np

from index.query import Query
from index.search import FusionWeights, HybridIndex
from index.vectors import VectorIndex

DIM = 8


def _query(vector: np.ndarray, tokens: tuple[str, ...]) -> Query:
    return Query(text=" ".join(tokens), language="ko", limit=3, vector=vector, tokens=tokens,
                 idf={t: 1.0 for t in tokens})


def _index(spaces: list[str]) -> HybridIndex:
    """One passage per space entry, all alike (same vector, same words), one section each."""
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(spaces), DIM)).astype(np.float32) * 0.01 + 1.0
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = HybridIndex(VectorIndex(DIM), FusionWeights(depth=10))
    ids = list(range(1, len(spaces) + 1))
    index.add(ids, [100 + i for i in ids], vectors, [["hpa", "파드"]] * len(ids), spaces)
    return index


def test_a_question_ranks_only_its_spaces_passages() -> None:
    """Dense and lexical hits of other spaces never reach the ranking."""
    index = _index(["a", "b"] * 50)
    ranking = index.search(_query(np.ones(DIM, np.float32) / np.sqrt(DIM), ("hpa",)),
                           spaces={"a"})
    assert ranking.sections
    assert all(index.space_of_section[h.section_id] == "a" for h in ranking.sections)


def test_a_small_space_still_fills_the_depth() -> None:
    """A space holding 1 passage in 100 still gets its passages ranked (fetched deeper)."""
    index = _index(["big"] * 990 + ["small"] * 10)
    query = _query(np.ones(DIM, np.float32) / np.sqrt(DIM), ("hpa",))
    ranking = index.search(query, k=20, spaces={"small"})
    assert len(ranking.sections) == 10
    assert {index.space_of_section[h.section_id] for h in ranking.sections} == {"small"}


def test_a_space_with_nothing_finds_nothing_and_removal_is_counted() -> None:
    """An empty space ranks nothing; removed passages leave their space's count."""
    index = _index(["a"] * 3)
    query = _query(np.ones(DIM, np.float32) / np.sqrt(DIM), ("hpa",))
    assert index.search(query, spaces={"b"}).sections == []
    index.remove([1])
    assert index.space_sizes["a"] == 2
    assert len(index.search(query, spaces={"a"}).sections) == 2
