"""The answerability model: weights read from the shipped data file, written by calibrate."""

from __future__ import annotations

import json
import math
from dataclasses import fields
from pathlib import Path

import pytest

from index.tokens import Tokenizer
from knowledge.answering.answerability import (
    REFERENCE_THRESHOLD,
    SIGNAL_NAMES,
    Signals,
    asked_action,
    asks_for_number,
    confidence,
    declines,
    model_file,
    number_focus,
    number_missing,
    parse_model,
    shipped_model,
)
from knowledge.evaluation.calibrate import (
    Sample,
    choose_threshold,
    fit,
    model_document,
    write_model,
)


def _signals(**given: float) -> Signals:
    return Signals(**{name: given.get(name, 0.0) for name in SIGNAL_NAMES})


def test_shipped_file_weighs_every_signal_and_says_how_it_was_fitted() -> None:
    """The package's answerability.json names each signal once, with the fit's note."""
    document = json.loads(model_file().read_text(encoding="utf-8"))
    assert set(document["weights"]) == {f.name for f in fields(Signals)}
    assert "eval --loco --write" in document["about"] and "L2" in document["fitted"]


def test_the_shipped_model_trusts_the_verification_signals() -> None:
    """Foreign terms and a missing asked-for number lower confidence; a leading day and a
    close sentence raise it (the signs held on every held-out journal)."""
    weights = shipped_model().weights
    assert weights["foreign"] < 0 and weights["number_missing"] < 0
    assert weights["margin"] > 0 and weights["sent_top"] > 0


def test_confidence_is_the_logistic_of_the_shipped_weights() -> None:
    """confidence = sigmoid(bias + Σ weight·signal) with the file's numbers."""
    model = shipped_model()
    signals = _signals(margin=0.2, sent_top=0.85, foreign=1.0)
    z = model.bias + sum(model.weights[n] * v for n, v in signals.as_dict().items())
    assert confidence(signals) == pytest.approx(1 / (1 + math.exp(-z)))
    assert declines(_signals(), REFERENCE_THRESHOLD)  # nothing found: abstain


def test_signals_are_built_by_keyword_only() -> None:
    """Positional floats are refused, so no signal can land in another's place."""
    with pytest.raises(TypeError):
        Signals(*[0.0] * len(SIGNAL_NAMES))  # type: ignore[misc]


def test_a_model_missing_a_signal_is_refused() -> None:
    """A weights file that forgets a signal (or adds one) fails loudly, not silently."""
    weights = dict.fromkeys(SIGNAL_NAMES, 1.0)
    del weights["margin"]
    with pytest.raises(ValueError, match="signals"):
        parse_model({"weights": weights, "bias": 0.0})
    with pytest.raises(ValueError, match="signals"):
        parse_model({"weights": {**dict.fromkeys(SIGNAL_NAMES, 1.0), "extra": 1.0}, "bias": 0.0})


@pytest.mark.parametrize(("question", "focus"), [
    ("batch size 몇으로 했어?", "size"),
    ("최종 mAP 얼마 나왔어", "map"),
    ("how many layers did the LSTM use", "layer"),
    ("우리 팀 대회 점수 얼마에서 멈췄어?", "점수"),
])
def test_number_focus_is_what_the_number_counts(question: str, focus: str,
                                                tokenizer: Tokenizer) -> None:
    """The word right before 몇/얼마 (or after how many), framing words skipped."""
    assert number_focus(question, tokenizer.content_words(question)) == focus


def test_number_missing_needs_a_digit_next_to_the_asked_word() -> None:
    """A digit counts only in a sentence naming what is asked, and not the question's own."""
    question = "ResNet-34 batch size 몇으로 했어?"
    asked = {"size"}
    assert number_missing(question, asked, [("batch size는 64로 했다", {"batch", "size"})]) == 0
    assert number_missing(question, asked, [("lr은 0.01", {"lr"})]) == 1
    assert number_missing(question, asked, [("ResNet-34 size", {"resnet", "size"})]) == 1
    assert number_missing("batch size는 왜 중요해?", asked, []) == 0


def test_threshold_keeps_the_false_abstention_budget() -> None:
    """The highest threshold that declines at most 5 % of the answerable questions."""
    probabilities = [i / 40 for i in range(40)]
    assert choose_threshold(probabilities, [True] * 40) == pytest.approx(2 / 40, abs=1e-3)


def _samples() -> list[Sample]:
    rows = []
    for i in range(40):
        answerable = i % 4 != 0
        sent_top = 0.8 + (0.1 if answerable else 0.0) + 0.001 * i
        rows.append(Sample(str(i), {**dict.fromkeys(SIGNAL_NAMES, 0.0), "sent_top": sent_top},
                           answerable))
    return rows


def test_calibrate_writes_a_file_the_answerer_reads(tmp_path: Path) -> None:
    """The fitted model round-trips; its threshold sits at the answer threshold's default."""
    samples = _samples()
    result = fit(samples)
    assert result.model.weights["sent_top"] > 0
    assert result.recall == 1.0 and result.false_abstain <= 0.05
    document = model_document(result, samples, ["dev"])
    path = tmp_path / "answerability.json"
    write_model(document, path)
    model = parse_model(json.loads(path.read_text(encoding="utf-8")))
    assert model == result.model
    declined = [s.answerable for s in samples
                if declines(Signals(**s.signals), REFERENCE_THRESHOLD, model)]
    # Every unanswerable one, and the one answerable question the 5 % budget allows.
    assert declined.count(False) == 10 and declined.count(True) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["answerability.json"]


@pytest.mark.parametrize(("question", "wants"), [
    ("최종 점수 얼마 나왔어?", True),
    ("점수가 기본 모델보다 낮게 나온 원인을 뭐라고 봤어?", False),
    ("리사이즈 바꿨더니 점수 오른 이유가 뭐야?", False),
    ("왜 점수가 떨어졌고, 결국 성능 얼마나 올랐어?", True),
    ("Why did the score drop?", False),
])
def test_a_reason_for_a_score_is_not_a_number_question(question: str, wants: bool) -> None:
    """Naming a score while asking why it moved wants a reason; an explicit 몇/얼마/how many
    still asks for a number."""
    assert asks_for_number(question) is wants


def test_a_number_noun_is_the_focus_without_a_count_cue(tokenizer: Tokenizer) -> None:
    """`최종 점수랑 순위 어떻게 나왔어?` asks for the score: its focus is `점수`, so a digit
    next to some other word of the question does not answer it."""
    question = "데이콘 대회 최종 점수랑 순위 어떻게 나왔어?"
    assert number_focus(question, tokenizer.content_words(question)) == "점수"
    assert number_focus("그 대회 어땠어?", tokenizer.content_words("그 대회 어땠어?")) is None


def test_an_amount_question_also_asks_about_its_verb(tokenizer: Tokenizer) -> None:
    """`얼마나 드러내라고` asks how much of an action: the sentence giving the amount may name
    the verb rather than the noun before the cue."""
    question = "면접 때 자기 역량을 얼마나 드러내라고 했어?"
    assert asked_action(question, tokenizer.positioned_tokens(question)) == "드러내"
    assert asked_action("batch size 몇으로 했어?",
                        tokenizer.positioned_tokens("batch size 몇으로 했어?")) is None
