"""The answerability model: weights read from the shipped data file, written by calibrate."""

from __future__ import annotations

import json
import math
from dataclasses import fields
from pathlib import Path

import pytest

from knowledge.answering.answerability import (
    SIGNAL_NAMES,
    Signals,
    confidence,
    model_file,
    parse_model,
    shipped_model,
)
from knowledge.evaluation.calibrate import Sample, model_document, write_model


def _signals(**given: float) -> Signals:
    return Signals(**{name: given.get(name, 0.0) for name in SIGNAL_NAMES})


def test_shipped_file_weighs_every_signal_and_says_how_it_was_fitted() -> None:
    """The package's answerability.json names each signal once, with the fit's note."""
    document = json.loads(model_file().read_text(encoding="utf-8"))
    assert set(document["weights"]) == {f.name for f in fields(Signals)}
    assert "calibrate" in document["about"] and "L2" in document["fitted"]
    assert shipped_model().weights["unknown"] == 0.0


def test_confidence_is_the_logistic_of_the_shipped_weights() -> None:
    """confidence = sigmoid(bias + Σ weight·signal) with the file's numbers."""
    model = shipped_model()
    signals = _signals(dense=0.85, lexical=0.6, margin=0.2, dense_gap=0.05, foreign=1.0)
    z = model.bias + sum(model.weights[n] * v for n, v in signals.as_dict().items())
    assert confidence(signals) == pytest.approx(1 / (1 + math.exp(-z)))
    assert 0.0 < confidence(_signals()) < 0.01  # nothing found: far below any threshold


def test_signals_are_built_by_keyword_only() -> None:
    """Twelve positional floats are refused, so no signal can land in another's place."""
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


def test_calibrate_writes_a_file_the_answerer_reads(tmp_path: Path) -> None:
    """calibrate --write's document round-trips: every signal weighed, rates in the note."""
    weights = {name: 0.0 for name in SIGNAL_NAMES if name != "unknown"} | {"dense": 10.0}
    samples = [
        Sample("a", {**dict.fromkeys(SIGNAL_NAMES, 0.0), "dense": 0.9}, answerable=True),
        Sample("b", {**dict.fromkeys(SIGNAL_NAMES, 0.0), "dense": 0.1}, answerable=False),
        Sample("c", {**dict.fromkeys(SIGNAL_NAMES, 0.0), "dense": 0.2}, answerable=True),
    ]
    document = model_document(weights, -5.0, samples, ["dev.jsonl:corpus"], threshold=0.4)
    path = tmp_path / "answerability.json"
    write_model(document, path)
    model = parse_model(json.loads(path.read_text(encoding="utf-8")))
    assert model.bias == -5.0 and model.weights["dense"] == 10.0
    assert model.weights["unknown"] == 0.0
    # b (unanswerable) and c (answerable) fall below 0.4; a does not.
    assert "on 100% of the unanswerable questions at a 50% false-abstention" in document["fitted"]
    assert [p.name for p in tmp_path.iterdir()] == ["answerability.json"]
