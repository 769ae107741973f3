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
    coverage: float  # idf-weighted share of the question's words found in the top section
    agreement: float  # 1 when dense and lexical rank the top section first, less as they differ
    margin: float  # how far the top section leads the second (fused score, relative)

    def as_dict(self) -> dict[str, float]:
        """The signals, for the ask log."""
        return {k: round(v, 4) for k, v in asdict(self).items()}


# Logistic weights fitted on the development questions and our extra questions over the other
# journals (see tests/data and README); refit with `sunbae eval --fit` when retrieval changes.
WEIGHTS = {"dense": 18.0, "lexical": 1.5, "coverage": 3.0, "agreement": 1.0, "margin": 1.0}
BIAS = -18.0


def signals_for(hits: list[SectionHit], coverage: float) -> Signals:
    """The signals of a ranked list of sections."""
    if not hits:
        return Signals(0.0, 0.0, 0.0, 0.0, 0.0)
    top = hits[0]
    ranks = [r for r in (top.dense_rank, top.lexical_rank) if r is not None]
    agreement = 0.0 if len(ranks) < 2 else 1.0 / (1.0 + max(ranks))
    margin = 0.0
    if len(hits) > 1 and top.score > 0:
        margin = (top.score - hits[1].score) / top.score
    return Signals(top.dense, min(top.lexical, 1.0), coverage, agreement, margin)


def confidence(signals: Signals) -> float:
    """The calibrated probability that the top section answers the question."""
    z = BIAS + sum(WEIGHTS[name] * value for name, value in signals.as_dict().items())
    return 1.0 / (1.0 + math.exp(-z))
