"""Fit the answerability weights: signals of answerable vs unanswerable questions, logistic.

`python -m knowledge.evaluation.calibrate [--write] QUESTIONS.jsonl:CORPUS_DIR [...]` asks every
question with abstention turned off, records its signals, fits an L2-regularised logistic
regression and prints the weights; `--write` also stores them, with a note of the fit, in
`knowledge/resources/answerability.json`, the file the answerer reads.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.answering.answerability import (
    SIGNAL_NAMES,
    AnswerabilityModel,
    Signals,
    confidence,
    model_file,
    shipped_model,
)
from knowledge.evaluation.evaluate import citation_answers, load_questions
from knowledge.settings import get_settings

L2 = 3.0
# Every signal but `unknown`, which fits as a reward for unknown words (see answerability).
UNWEIGHTED = {
    "unknown": "recorded but not weighed: fitted, it rewarded unknown words (a stand-in for "
    "typos and English questions), which made a question about something no note mentions "
    "look answerable."
}
FEATURES = [name for name in SIGNAL_NAMES if name not in UNWEIGHTED]


@dataclass(frozen=True)
class Sample:
    """One question's signals and whether its notes answer it."""

    qid: str
    signals: dict[str, float]
    answerable: bool
    rank: int | None = None  # where the first answering citation ranked (for reporting)


def collect(questions: Path, corpus: Path, embedder: object | None = None) -> list[Sample]:
    """Signals of every question that reaches the passage path (curated matches excluded)."""
    from knowledge.core import Sunbae

    settings = get_settings()
    samples = []
    with tempfile.TemporaryDirectory(prefix="sunbae-calibrate-") as tmp:
        fresh = settings.model_copy(
            update={"data_dir": Path(tmp), "database_url": None, "index_dir": None,
                    "model_cache": settings.resolved_model_cache.resolve(),
                    "answer_threshold": 0.0}
        )
        core = Sunbae.open(fresh, embedder=embedder)  # type: ignore[arg-type]
        try:
            core.ingest_paths([corpus])
            core.load_shipped_curated()
            for q in load_questions(questions):
                answer = core.ask(q.q, record=False, max_citations=10)
                if answer.kind == "curated":
                    continue
                signals = {k: answer.scores[k] for k in SIGNAL_NAMES}
                ranks = [i for i, c in enumerate(answer.citations, 1) if citation_answers(c, q)]
                samples.append(Sample(q.id, signals, q.answerable, ranks[0] if ranks else None))
        finally:
            core.close()
    return samples


def fit(
    samples: list[Sample], l2: float = L2, steps: int = 5000
) -> tuple[dict[str, float], float]:
    """Logistic regression by gradient descent on standardised features, mapped back."""
    x = np.array([[s.signals[f] for f in FEATURES] for s in samples], dtype=np.float64)
    y = np.array([1.0 if s.answerable else 0.0 for s in samples])
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / std
    # Unanswerable questions are the rarer class: weight them up so both count alike.
    weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    w = np.zeros(z.shape[1])
    b = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        grad = (weight * (p - y)) @ z / len(y) + l2 * w / len(y)
        w -= 0.5 * grad
        b -= 0.5 * float(np.mean(weight * (p - y)))
    raw = w / std
    bias = b - float(np.sum(w * mean / std))
    return {f: round(float(v), 3) for f, v in zip(FEATURES, raw, strict=True)}, round(bias, 3)


def in_sample_rates(
    samples: list[Sample], weights: dict[str, float], bias: float, threshold: float
) -> tuple[float, float]:
    """(share of unanswerable questions declined, share of answerable ones wrongly declined)."""
    model = AnswerabilityModel({name: weights.get(name, 0.0) for name in SIGNAL_NAMES}, bias)
    unanswerable = [s for s in samples if not s.answerable]
    answerable = [s for s in samples if s.answerable]

    def declined(group: list[Sample]) -> float:
        # The answerer's own formula, so the note states what the shipped weights do.
        low = [confidence(Signals(**s.signals), model) < threshold for s in group]
        return sum(low) / max(len(low), 1)

    return declined(unanswerable), declined(answerable)


def model_document(
    weights: dict[str, float], bias: float, samples: list[Sample], specs: list[str],
    threshold: float,
) -> dict[str, object]:
    """The content of `answerability.json`: the weights, the bias and how they were fitted."""
    recall, false = in_sample_rates(samples, weights, bias, threshold)
    answerable = sum(s.answerable for s in samples)
    return {
        "about": "Logistic weights over the answerability signals "
        "(knowledge/answering/answerability.py): confidence = sigmoid(bias + sum of weight * "
        "signal). Written by `python -m knowledge.evaluation.calibrate --write "
        "QUESTIONS.jsonl:CORPUS ...`; edit by refitting, not by hand.",
        "fitted": f"L2 = {L2:g} on {' '.join(specs)}: {len(samples)} questions reach the "
        f"passage path ({answerable} answerable). At the threshold {threshold:g} they abstain, "
        f"in-sample, on {recall:.0%} of the unanswerable questions at a {false:.0%} "
        "false-abstention rate.",
        "unweighted": " ".join(f"`{name}` is {why}" for name, why in UNWEIGHTED.items()),
        "l2": L2,
        "bias": bias,
        "weights": {name: weights.get(name, 0.0) for name in SIGNAL_NAMES},
    }


def write_model(document: dict[str, object], path: Path) -> None:
    """Store the fitted model, replacing the file whole (never half-written)."""
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    shipped_model.cache_clear()


def build_parser() -> argparse.ArgumentParser:
    """The command line: question files with their corpora, and whether to write the file."""
    parser = argparse.ArgumentParser(prog="python -m knowledge.evaluation.calibrate")
    parser.add_argument("specs", nargs="+", metavar="QUESTIONS.jsonl:CORPUS_DIR")
    parser.add_argument(
        "--write", action="store_true",
        help="store the fitted weights in knowledge/resources/answerability.json",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Collect, fit and print the weights (and per-sample probabilities as JSON lines)."""
    args = build_parser().parse_args(argv)
    samples: list[Sample] = []
    for spec in args.specs:
        questions, corpus = spec.split(":", 1)
        samples.extend(collect(Path(questions), Path(corpus)))
    weights, bias = fit(samples)
    print(json.dumps({"weights": weights, "bias": bias}))
    for s in samples:
        print(json.dumps({"id": s.qid, "answerable": s.answerable, "rank": s.rank, **s.signals}))
    if args.write:
        document = model_document(
            weights, bias, samples, args.specs, get_settings().answer_threshold
        )
        write_model(document, Path(str(model_file())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
