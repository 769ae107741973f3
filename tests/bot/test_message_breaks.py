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


def test_one_splitter_serves_discord_and_slack() -> None:
    """Both transports cut with the one splitter; only the break rule and reopening differ."""
    from bot.slack import mrkdwn
    from bot.utils import messages, splitting

    assert mrkdwn.cut is messages.cut is splitting.cut
    text = "```python\n" + "x = 1\n" * 500 + "```"
    discord_pieces = messages.split_text(text, 400)
    slack_pieces = mrkdwn.split_mrkdwn(text, 400)
    assert discord_pieces[1].startswith("```python\n") and slack_pieces[1].startswith("```\n")
    assert all(len(piece) <= 400 for piece in discord_pieces + slack_pieces)
    assert splitting.cut("가나다라", 3) == "가나…"
