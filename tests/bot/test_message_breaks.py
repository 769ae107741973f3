"""Long Discord text breaks between sentences by the core's rule, never inside a number."""

from __future__ import annotations

from bot.utils.messages import split_text


def test_long_text_breaks_after_the_last_sentence_that_fits() -> None:
    """Without line breaks, a piece ends at its last sentence end in reach."""
    sentence = "오늘은 경사하강법을 공부했다. 학습률은 0.001로 두었어요? "
    text = sentence * 40
    pieces = split_text(text, 200)
    assert len(pieces) > 1
    assert all(len(p) <= 200 for p in pieces)
    assert all(p.endswith(("다.", "요?")) for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_a_number_at_the_window_edge_is_not_a_sentence_end() -> None:
    """`3.14` cut by the window after its dot is not taken for `3.` ending a sentence."""
    head = "가" * 150 + "다. " + "나" * 40 + " pi는 3."
    text = head + "14 입니다. " + "라" * 300
    piece = split_text(text, len(head) + len("```") + 1)[0]
    assert piece.endswith("다.") and "3.14" not in piece and not piece.endswith("3.")
