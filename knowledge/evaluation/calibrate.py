"""Fit the answerability weights: signals of answerable vs unanswerable questions, logistic.

`python -m knowledge.evaluation.calibrate QUESTIONS.jsonl:CORPUS_DIR [...]` asks every question with
abstention turned off, records its signals, fits an L2-regularised logistic regression and
prints the weights to paste into `knowledge/answerability.py`.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.answering.answerability import Signals
from knowledge.evaluation.evaluate import citation_answers, load_questions
from knowledge.settings import get_settings

# Every signal but `unknown`, which fits as a reward for unknown words (see answerability).
FEATURES = [name for name in Signals.__dataclass_fields__ if name != "unknown"]


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
                signals = {k: answer.scores[k] for k in Signals.__dataclass_fields__}
                ranks = [i for i, c in enumerate(answer.citations, 1) if citation_answers(c, q)]
                samples.append(Sample(q.id, signals, q.answerable, ranks[0] if ranks else None))
        finally:
            core.close()
    return samples


def fit(
    samples: list[Sample], l2: float = 3.0, steps: int = 5000
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


def main(argv: list[str]) -> int:
    """Collect, fit and print the weights (and per-sample probabilities as JSON lines)."""
    samples: list[Sample] = []
    for spec in argv:
        questions, corpus = spec.split(":", 1)
        samples.extend(collect(Path(questions), Path(corpus)))
    weights, bias = fit(samples)
    print(json.dumps({"weights": weights, "bias": bias}))
    for s in samples:
        print(json.dumps({"id": s.qid, "answerable": s.answerable, "rank": s.rank, **s.signals}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
