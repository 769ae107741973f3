"""The one Hangul test: which characters and texts count as Korean."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.tokens import has_hangul, is_hangul
from knowledge.language import question_language

HANGUL = ["가", "힣", "한", "ㄱ", "ㅎ", "ㅏ", "ㆎ", "\u1100", "\u1161", "\u11ff"]
NOT_HANGUL = ["a", "Z", "0", " ", "漢", "あ", "Ａ", "～", "\u3130", "\ud7a4", "\u318f"]


@pytest.mark.parametrize("ch", HANGUL)
def test_syllables_and_jamo_are_hangul(ch: str) -> None:
    """Syllables, compatibility jamo and conjoining jamo (NFD text) are all Hangul."""
    assert is_hangul(ch)


@pytest.mark.parametrize("ch", NOT_HANGUL)
def test_other_characters_are_not_hangul(ch: str) -> None:
    """Latin, digits, hanja, kana, fullwidth forms and the codepoints beside the ranges are not."""
    assert not is_hangul(ch)


def test_has_hangul_looks_at_every_character() -> None:
    """One Hangul character anywhere makes a text Korean; none, or no text, does not."""
    assert has_hangul("PyTorch DataLoader에서 num_workers")
    assert has_hangul("collate_fn ㅋㅋ")
    assert has_hangul(unicodedata.normalize("NFD", "내용"))
    assert not has_hangul("What is gradient descent?")
    assert not has_hangul("")


@given(st.text(alphabet=st.characters(max_codepoint=0x10FF)))
def test_text_below_the_jamo_block_has_no_hangul(text: str) -> None:
    """Latin, Greek, Cyrillic and the like never read as Hangul."""
    assert not has_hangul(text)


def test_question_language_uses_the_same_test() -> None:
    """A question is Korean exactly when it has Hangul, mixed questions included."""
    assert question_language("backward hook은 언제 써?") == "ko"
    assert question_language("ㅠㅠ") == "ko"
    assert question_language("When do I use a backward hook?") == "en"
