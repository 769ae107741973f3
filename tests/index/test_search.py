"""The hybrid index: a question built once as a Query, then ranked by fused sections."""

from __future__ import annotations

import numpy as np
import pytest

from index.search import FusionWeights, HybridIndex
from index.tokens import shared_tokenizer
from index.vectors import VectorIndex

DIM = 8
PASSAGES = {
    # passage id: (section id, text, dense direction)
    1: (10, "collate_fn은 DataLoader가 배치를 만들 때 샘플을 묶는 함수다.", 0),
    2: (10, "padding을 넣어 길이가 다른 시퀀스를 한 배치로 만든다.", 1),
    3: (20, "정규화 세기를 바꾸면 과적합이 줄어든다.", 2),
    4: (30, "행렬 분해로 추천 시스템을 만들었다.", 3),
}


def _unit(axis: int) -> np.ndarray:
    vector = np.full(DIM, 0.05, dtype=np.float32)
    vector[axis] = 1.0
    return vector / np.linalg.norm(vector)


@pytest.fixture(scope="module")
def index() -> HybridIndex:
    tokenizer = shared_tokenizer()
    hybrid = HybridIndex(VectorIndex(DIM), FusionWeights(glossary=0.25), tokenizer)
    ids = list(PASSAGES)
    hybrid.add(
        ids,
        [PASSAGES[i][0] for i in ids],
        np.stack([_unit(PASSAGES[i][2]) for i in ids]),
        [tokenizer.tokens(PASSAGES[i][1]) for i in ids],
    )
    return hybrid


def test_query_holds_the_question_words_with_their_idf(index: HybridIndex) -> None:
    """Known words carry a positive idf; a word no passage holds carries 0."""
    query = index.query("collate_fn 쿠버네티스", _unit(0), language="ko", limit=3)
    assert "collate_fn" in query.tokens
    assert query.idf["collate_fn"] > 0
    assert query.idf["쿠버네티스"] == 0
    assert "collate_fn" in query.known_idf and "쿠버네티스" not in query.known_idf
    # An unknown word weighs like the rarest known one when judging whether a day answers.
    assert query.strict_idf["쿠버네티스"] == max(query.known_idf.values())


def test_unknown_korean_compound_is_split_into_known_words(index: HybridIndex) -> None:
    """`행렬분해` (no space) meets notes that write `행렬 분해`."""
    query = index.query("행렬분해가 뭐야", _unit(3), language="ko", limit=3)
    assert "행렬" in query.tokens and "분해" in query.tokens
    assert "행렬분해" not in query.tokens


def test_glossary_words_widen_the_search_only(index: HybridIndex) -> None:
    """An English question gains Korean search words, weighted, but not in its own words."""
    query = index.query("what does regularization do", _unit(2), language="en", limit=3)
    assert "정규화" in query.expansions
    assert "정규화" not in query.tokens and "정규화" not in query.idf
    assert query.token_weights["정규화"] == 0.25
    assert query.search_tokens[: len(query.tokens)] == list(query.tokens)


def test_search_ranks_the_section_both_rankings_agree_on_first(index: HybridIndex) -> None:
    """Dense and lexical evidence for one day put it first, with its best passage first."""
    query = index.query("collate_fn이 뭐야?", _unit(0), language="ko", limit=3)
    ranking = index.search(query)
    top = ranking.sections[0]
    assert top.section_id == 10
    assert top.passage_ids[0] == 1
    assert top.dense_rank == 0 and top.lexical_rank == 0
    assert 0 < top.lexical <= 1.0


def test_glossary_lets_an_english_question_reach_a_korean_day(index: HybridIndex) -> None:
    """With no shared word, the glossary's Korean term still finds the day lexically."""
    query = index.query("regularization", _unit(7), language="en", limit=3)
    ranking = index.search(query)
    by_section = {hit.section_id: hit for hit in ranking.sections}
    assert by_section[20].lexical_rank == 0


def test_removed_passages_leave_both_rankings(index: HybridIndex) -> None:
    """After removal a passage is neither searched nor has words."""
    tokenizer = shared_tokenizer()
    hybrid = HybridIndex(VectorIndex(DIM), tokenizer=tokenizer)
    hybrid.add([1, 3], [10, 20], np.stack([_unit(0), _unit(2)]),
               [tokenizer.tokens(PASSAGES[1][1]), tokenizer.tokens(PASSAGES[3][1])])
    hybrid.remove([1])
    query = hybrid.query("collate_fn", _unit(0), language="en", limit=3)
    assert [hit.section_id for hit in hybrid.search(query).sections] == [20]
    assert hybrid.passage_tokens(1) == []
    assert not hybrid.knows("collate_fn")
