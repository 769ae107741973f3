"""BM25 over search tokens: adding, removing, idf, ranking, compounds and typos."""

from __future__ import annotations

import math

import pytest

from index.lexical import BM25Index
from index.tokens import Tokenizer

DOCS = {
    1: "tensor view reshape contiguous memory".split(),
    2: "tensor dataloader batch collate_fn".split(),
    3: "tensor batch training loss".split(),
    4: "tensor optimizer adamw weight decay".split(),
}


@pytest.fixture
def bm25() -> BM25Index:
    """An index over four small documents that all mention `tensor`."""
    index = BM25Index()
    for doc_id, tokens in DOCS.items():
        index.add(doc_id, tokens)
    return index


def test_added_documents_are_counted_and_found(bm25: BM25Index) -> None:
    """Every added document is held and a word of it finds it."""
    assert len(bm25) == 4
    assert [doc_id for doc_id, _ in bm25.search(["adamw"], 10)] == [4]


def test_adding_under_an_existing_id_replaces_the_tokens(bm25: BM25Index) -> None:
    """Re-adding id 4 forgets its old words."""
    bm25.add(4, ["scheduler", "warmup"])
    assert len(bm25) == 4
    assert bm25.search(["adamw"], 10) == []
    assert bm25.tokens_of(4) == ["scheduler", "warmup"]


def test_removed_documents_are_not_found(bm25: BM25Index) -> None:
    """A removed id never comes back from a search; unknown ids are ignored."""
    bm25.remove([2, 99])
    assert len(bm25) == 3
    assert all(doc_id != 2 for doc_id, _ in bm25.search(["batch", "collate_fn"], 10))
    assert bm25.tokens_of(2) == []


def test_idf_of_an_unknown_word_is_zero(bm25: BM25Index) -> None:
    """A word no document has weighs nothing."""
    assert bm25.idf("kubernetes") == 0.0


def test_rare_word_has_a_higher_idf_than_a_common_one(bm25: BM25Index) -> None:
    """`contiguous` (one document) outweighs `batch` (two), which outweighs `tensor` (all)."""
    assert bm25.idf("contiguous") > bm25.idf("batch") > bm25.idf("tensor") > 0.0


def test_idf_follows_removals(bm25: BM25Index) -> None:
    """After the only document holding a word goes, the word is unknown again."""
    bm25.remove([1])
    assert bm25.idf("contiguous") == 0.0
    assert not bm25.knows("contiguous")


def test_the_passage_sharing_the_rare_word_ranks_first(bm25: BM25Index) -> None:
    """Of two documents matching one word each, the one with the rarer word wins."""
    ranked = bm25.search(["tensor", "contiguous", "batch"], 4)
    assert ranked[0][0] == 1
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)


def test_documents_without_any_query_word_are_left_out(bm25: BM25Index) -> None:
    """Only scoring documents come back, at most k of them."""
    assert {doc_id for doc_id, _ in bm25.search(["batch"], 10)} == {2, 3}
    assert len(bm25.search(["tensor"], 2)) == 2
    assert bm25.search(["kubernetes"], 10) == []


def test_token_weights_scale_a_words_contribution(bm25: BM25Index) -> None:
    """A down-weighted word lets the other query word decide the order."""
    plain = dict(bm25.search(["collate_fn", "loss"], 2))
    weighted = dict(bm25.search(["collate_fn", "loss"], 2, {"collate_fn": 0.1}))
    assert plain[2] == pytest.approx(plain[3])  # same idf, same document length
    assert weighted[3] > weighted[2]


def test_max_score_bounds_every_search_score(bm25: BM25Index) -> None:
    """No document scores above the query's upper bound; a query of unknown words has none."""
    query = ["tensor", "contiguous", "memory"]
    assert max(score for _, score in bm25.search(query, 4)) <= bm25.max_score(query)
    assert bm25.max_score(["kubernetes"]) == math.inf


def test_typo_tolerance_is_opt_in_and_for_long_words(bm25: BM25Index) -> None:
    """`contigous` is known only with `typos`; short words get no typo tolerance."""
    assert bm25.knows("contiguous")
    assert not bm25.knows("contigous")
    assert bm25.knows("contigous", typos=True)
    assert not bm25.knows("los", typos=True)


def test_unknown_korean_compound_splits_into_known_words(tokenizer: Tokenizer) -> None:
    """A question's `행렬분해` meets notes that write `행렬 분해`."""
    index = BM25Index()
    index.add(1, tokenizer.tokens("오늘은 행렬 분해를 공부했다."))
    question = tokenizer.tokens("행렬분해")
    assert question == ["행렬분해"]
    assert index.split_compounds(question) == ["행렬", "분해"]


def test_known_short_or_latin_tokens_are_not_split() -> None:
    """Known words, words under three syllables and Latin words stay as they are."""
    index = BM25Index()
    index.add(1, ["행렬", "분해", "행렬분해", "가", "나", "tensor", "flow"])
    assert index.split_compounds(["행렬분해", "가나", "tensorflow"]) == [
        "행렬분해", "가나", "tensorflow",
    ]


def test_compound_without_a_known_split_stays_whole() -> None:
    """An unknown compound whose halves are not both known is kept as one token."""
    index = BM25Index()
    index.add(1, ["행렬"])
    assert index.split_compounds(["행렬분해"]) == ["행렬분해"]
