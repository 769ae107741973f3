"""Whether the best passages answer a question: signals combined into a calibrated confidence."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from index.search import SectionHit


@dataclass(frozen=True)
class Signals:
    """What retrieval says about its own best answer."""

    dense: float  # best cosine of the top section
    lexical: float  # top section's BM25 over the best the question's words could score
    coverage: float  # idf-weighted share of the question's known words in the top section
    sentence: float  # the same share in the single best sentence, unknown words counted missing
    unknown: float  # share of the question's words that no note contains
    agreement: float  # 1 when dense and lexical both rank the top section first
    margin: float  # how far the top section leads the second (fused score, relative)
    english: float  # 1 for a question with no Hangul (its words rarely occur in Korean notes)

    def as_dict(self) -> dict[str, float]:
        """The signals, for the ask log."""
        return {k: round(v, 4) for k, v in asdict(self).items()}


# Logistic weights over the signals, fitted by `python -m knowledge.calibrate` on the
# development questions and the held-out questions over the other two journals.
WEIGHTS = {
    "dense": 18.0,
    "lexical": 1.5,
    "coverage": 3.0,
    "sentence": 0.0,
    "unknown": 0.0,
    "agreement": 1.0,
    "margin": 1.0,
    "english": 0.0,
}
BIAS = -18.0


def rank_agreement(top: SectionHit) -> float:
    """1 when both rankings put the section first, 1/(1+r) when the worse of them has it at r."""
    ranks = [r for r in (top.dense_rank, top.lexical_rank) if r is not None]
    return 0.0 if len(ranks) < 2 else 1.0 / (1.0 + max(ranks))


def rank_margin(hits: list[SectionHit]) -> float:
    """How far the first section's fused score leads the second's, relative to the first."""
    if len(hits) < 2 or hits[0].score <= 0:
        return 0.0
    return (hits[0].score - hits[1].score) / hits[0].score


def confidence(signals: Signals) -> float:
    """The calibrated probability that the top section answers the question."""
    z = BIAS + sum(WEIGHTS[name] * value for name, value in signals.as_dict().items())
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
