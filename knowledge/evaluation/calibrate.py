"""Fit the answerability model: a class-balanced logistic over the four verification signals.

`sunbae eval --loco --write` (or `python -m knowledge.evaluation.calibrate --write`) asks every
question of every evaluation set with abstention off, fits the model on all of them and stores
it, with a note of the fit, in `knowledge/resources/answerability.json`, the file the answerer
reads. The figures reported for it are the leave-one-corpus-out ones (knowledge.evaluation.loco).
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.answering.answerability import (
    REFERENCE_THRESHOLD,
    SIGNAL_NAMES,
    AnswerabilityModel,
    Signals,
    confidence,
    model_file,
    shipped_model,
)

L2 = 1.0  # on standardised signals
FALSE_ABSTAIN_BUDGET = 0.05  # the threshold keeps training false abstentions at most this


@dataclass(frozen=True)
class Sample:
    """One question's signals and whether its notes answer it."""

    qid: str
    signals: dict[str, float]
    answerable: bool
    corpus: str = ""


@dataclass(frozen=True)
class Fit:
    """A fitted model (bias shifted so its threshold sits at REFERENCE_THRESHOLD), with the
    threshold as chosen before the shift and the rates it gave on its training questions."""

    model: AnswerabilityModel
    threshold: float
    recall: float  # unanswerable training questions declined
    false_abstain: float  # answerable training questions declined


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def logistic(samples: list[Sample], l2: float = L2, steps: int = 3000) -> AnswerabilityModel:
    """Class-balanced, L2-regularised logistic regression by gradient descent on standardised
    signals, mapped back to raw weights."""
    x = np.array([[s.signals[f] for f in SIGNAL_NAMES] for s in samples], dtype=np.float64)
    y = np.array([1.0 if s.answerable else 0.0 for s in samples])
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / std
    # Unanswerable questions are the rarer class: weight them up so both count alike.
    weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    w = np.zeros(z.shape[1])
    b = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = weight * (p - y)
        w -= 0.5 * (g @ z / len(y) + l2 * w / len(y))
        b -= 0.5 * float(g.mean())
    raw = w / std
    bias = b - float(np.sum(w * mean / std))
    return AnswerabilityModel(
        {f: round(float(v), 4) for f, v in zip(SIGNAL_NAMES, raw, strict=True)}, round(bias, 4)
    )


def choose_threshold(probabilities: list[float], answerable: list[bool],
                     budget: float = FALSE_ABSTAIN_BUDGET) -> float:
    """The highest threshold (abstain below it) that declines at most `budget` of the
    answerable questions: it catches the most unanswerable ones within that budget."""
    kept = sorted(p for p, a in zip(probabilities, answerable, strict=True) if a)
    if not kept:
        return 0.5
    # Just under the first answerable question kept, so the rounding of the weights written
    # to the file cannot decline it.
    return kept[min(math.floor(budget * len(kept)), len(kept) - 1)] - 1e-4


def _signals(sample: Sample) -> Signals:
    return Signals(**sample.signals)


def fit(samples: list[Sample], budget: float = FALSE_ABSTAIN_BUDGET) -> Fit:
    """The model and threshold of `samples`; the bias is shifted so that the chosen threshold
    becomes REFERENCE_THRESHOLD (the answer threshold's default)."""
    raw = logistic(samples)
    probabilities = [confidence(_signals(s), raw) for s in samples]
    threshold = min(max(choose_threshold(probabilities, [s.answerable for s in samples],
                                         budget), 1e-6), 1 - 1e-6)
    shift = _logit(REFERENCE_THRESHOLD) - _logit(threshold)
    model = AnswerabilityModel(raw.weights, round(raw.bias + shift, 4))

    def declined(answerable: bool) -> float:
        group = [s for s in samples if s.answerable == answerable]
        low = [confidence(_signals(s), model) < REFERENCE_THRESHOLD for s in group]
        return sum(low) / max(len(low), 1)

    return Fit(model, threshold, declined(False), declined(True))


def model_document(result: Fit, samples: list[Sample], sets: list[str]) -> dict[str, object]:
    """The content of `answerability.json`: the weights, the bias and how they were fitted."""
    answerable = sum(s.answerable for s in samples)
    return {
        "about": "Logistic weights over the verification signals "
        "(knowledge/answering/answerability.py): confidence = sigmoid(bias + sum of weight * "
        "signal). The bias is shifted so that the fitted threshold falls on the default "
        f"answer_threshold {REFERENCE_THRESHOLD:g}. Written by `sunbae eval --loco --write`; "
        "edit by refitting, not by hand.",
        "fitted": f"Class-balanced logistic, L2 = {L2:g} on standardised signals, on "
        f"{', '.join(sets)}: {len(samples)} questions reach the passage path ({answerable} "
        f"answerable). Threshold {result.threshold:.3f} (before the shift): the highest "
        f"keeping false abstentions at most {FALSE_ABSTAIN_BUDGET:.0%}; in-sample it declines "
        f"{result.recall:.0%} of the unanswerable questions at a {result.false_abstain:.0%} "
        "false-abstention rate. Out-of-corpus figures: `make eval`.",
        "l2": L2,
        "threshold": round(result.threshold, 4),
        "bias": result.model.bias,
        "weights": {name: result.model.weights[name] for name in SIGNAL_NAMES},
    }


def write_model(document: dict[str, object], path: Path) -> None:
    """Store the fitted model, replacing the file whole (never half-written)."""
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    shipped_model.cache_clear()


def main(argv: list[str] | None = None) -> int:
    """Collect every evaluation set, fit on all of them, print (and with --write store) it."""
    from knowledge.evaluation.loco import collect_all, default_sets, samples_of
    from knowledge.settings import get_settings

    parser = argparse.ArgumentParser(prog="python -m knowledge.evaluation.calibrate")
    parser.add_argument("--write", action="store_true",
                        help="store the fitted model in knowledge/resources/answerability.json")
    args = parser.parse_args(argv)
    sets = default_sets()
    collected = collect_all(sets, get_settings())
    samples = [s for eval_set in sets for s in samples_of(eval_set.name, collected[eval_set.name])]
    result = fit(samples)
    document = model_document(result, samples, [s.name for s in sets])
    print(json.dumps(document, ensure_ascii=False, indent=2))
    if args.write:
        write_model(document, Path(str(model_file())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
