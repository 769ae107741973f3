"""The Korean-English glossary: a question's words widened with the other language's terms."""

from __future__ import annotations

import pytest

from index.glossary import PAIRS, Glossary
from index.tokens import Tokenizer


@pytest.fixture(scope="module")
def glossary(tokenizer: Tokenizer) -> Glossary:
    """The shipped glossary over the real tokenizer."""
    return Glossary(tokenizer.tokens)


def test_korean_term_adds_every_english_one(glossary: Glossary, tokenizer: Tokenizer) -> None:
    """`정규화` means both `regularization` and `normalization`: both join the question."""
    question = tokenizer.tokens("정규화 세기")
    assert glossary.expand(question) == ["정규화", "세기", "regularization", "normalization"]


def test_english_term_adds_its_korean_one(glossary: Glossary, tokenizer: Tokenizer) -> None:
    """`loss function` brings in `손실` and `함수`."""
    question = tokenizer.tokens("loss function")
    assert glossary.expand(question)[:2] == ["loss", "function"]
    assert {"손실", "함수"} <= set(glossary.expand(question))


def test_multi_word_term_needs_all_its_words(glossary: Glossary, tokenizer: Tokenizer) -> None:
    """`learning` alone is not `learning rate`: no Korean is added for it."""
    assert glossary.expand(tokenizer.tokens("learning")) == ["learning"]
    assert "학습" in glossary.expand(tokenizer.tokens("learning rate 조절"))


def test_unrelated_words_are_not_expanded(glossary: Glossary, tokenizer: Tokenizer) -> None:
    """A question with no glossary term comes back unchanged."""
    question = tokenizer.tokens("주말에 자전거를 탔다")
    assert glossary.expand(question) == question


def test_question_words_come_first_and_none_is_added_twice(glossary: Glossary,
                                                           tokenizer: Tokenizer) -> None:
    """The question's own tokens keep their place; shared expansions appear once."""
    question = tokenizer.tokens("average star rating")
    expanded = glossary.expand(question)
    assert expanded[: len(question)] == question
    assert len(expanded) == len(set(expanded))
    assert {"평균", "별점", "평점"} <= set(expanded)


def test_words_already_in_the_question_are_not_repeated(glossary: Glossary,
                                                        tokenizer: Tokenizer) -> None:
    """A bilingual question gets only the missing side's words."""
    question = tokenizer.tokens("손실 loss")
    assert glossary.expand(question).count("loss") == 1


def test_every_pair_gives_entries_both_ways() -> None:
    """Each pair is usable from either side (with a plain word split as the tokenizer)."""
    glossary = Glossary(str.split)
    sides = {side for side, _ in glossary.entries}
    for korean, english in PAIRS:
        assert frozenset(korean.split()) in sides
        assert frozenset(english.split()) in sides


def test_a_term_the_tokenizer_shortens_needs_its_written_form(glossary: Glossary,
                                                              tokenizer: Tokenizer) -> None:
    """`학습률` tokenizes to `학습` alone: only a question that writes `학습률` gets
    `learning rate`, not every question about 학습."""
    plain = "학습 어떻게 했어"
    assert "rate" not in glossary.expand(tokenizer.tokens(plain), plain)
    asked = "학습률 얼마로 했어"
    assert {"learning", "rate"} <= set(glossary.expand(tokenizer.tokens(asked), asked))


def test_a_shortened_term_never_applies_without_the_text(glossary: Glossary,
                                                         tokenizer: Tokenizer) -> None:
    """Without the written question, `불균형` (tokenized `균형`) cannot be told from 균형."""
    assert "imbalance" not in glossary.expand(tokenizer.tokens("균형 잡힌 식단"))
    assert "imbalance" in glossary.expand(tokenizer.tokens("클래스 불균형"), "클래스 불균형")


def test_a_tokenizer_tokenizes_the_pairs_once() -> None:
    """A second glossary over the same tokenizer reuses the first one's tokens."""

    class Counting:
        def __init__(self) -> None:
            self.calls = 0

        def tokens(self, text: str) -> list[str]:
            self.calls += 1
            return text.lower().split()

    counting = Counting()
    first = Glossary(counting.tokens)
    calls = counting.calls
    second = Glossary(counting.tokens)
    assert calls > 0 and counting.calls == calls
    assert second.entries == first.entries and second.surfaces == first.surfaces
