"""Whether the best passages answer a question: signals combined into a calibrated confidence."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
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
    dense_gap: float  # how far the best passage's cosine stands out from the next ones
    lexical_gap: float  # the same for BM25
    number: float  # -1 a question asking for a number whose best passages hold none, else 0
    foreign: float  # English terms of a Korean question that no note contains (typos forgiven)

    def as_dict(self) -> dict[str, float]:
        """The signals, for the ask log."""
        return {k: round(v, 4) for k, v in asdict(self).items()}


# Logistic weights over the signals, fitted by
# `python -m knowledge.evaluation.calibrate` (L2 = 3) on the
# 50 development questions and 70 held-out questions over the two other journals (111 reach
# the passage path). At the default threshold 0.4 they abstain, in-sample, on 72% of the
# unanswerable questions at a 1% false-abstention rate. `unknown` is recorded but not weighed:
# fitted, it rewarded unknown words (a stand-in for typos and English questions), which made a
# question about something no note mentions look answerable.
WEIGHTS = {
    "dense": 5.072,
    "lexical": 2.321,
    "coverage": 0.343,
    "sentence": -1.399,
    "unknown": 0.0,
    "agreement": -0.83,
    "margin": 5.797,
    "english": -0.286,
    "dense_gap": 13.479,
    "lexical_gap": 3.966,
    "number": 4.191,
    "foreign": -2.739,
}
BIAS = -7.045


def rank_agreement(top: SectionHit) -> float:
    """1 when both rankings put the section first, 1/(1+r) when the worse of them has it at r."""
    ranks = [r for r in (top.dense_rank, top.lexical_rank) if r is not None]
    return 0.0 if len(ranks) < 2 else 1.0 / (1.0 + max(ranks))


def rank_margin(hits: list[SectionHit]) -> float:
    """How far the first section's fused score leads the second's, relative to the first."""
    if len(hits) < 2 or hits[0].score <= 0:
        return 0.0
    return (hits[0].score - hits[1].score) / hits[0].score


_ASKS_NUMBER = re.compile(r"몇|얼마|how (many|much|big|long)|what (score|value|number)", re.I)
_DIGIT = re.compile(r"\d")


def asks_for_number(question: str) -> bool:
    """Whether a question wants a number (몇, 얼마나, how many, …)."""
    return bool(_ASKS_NUMBER.search(question))


def number_answered(question: str, texts: list[str]) -> float:
    """-1 when the question wants a number and none of the texts holds a digit, else 0."""
    if not asks_for_number(question):
        return 0.0
    return 0.0 if any(_DIGIT.search(t) for t in texts) else -1.0


_TERM = re.compile(r"^[a-z][a-z0-9_.]+$")


def foreign_terms(question_tokens: list[str], knows: Callable[[str], bool]) -> list[str]:
    """English technical terms in a Korean question that the notes never mention.

    Campers write Korean prose with English terms; a term the notes never use (MySQL, gamma,
    BERT4Rec) usually means the notes cannot answer. A one-letter typo of a known term counts
    as known.
    """
    return [t for t in dict.fromkeys(question_tokens) if _TERM.match(t) and not knows(t)]


def confidence(signals: Signals) -> float:
    """The calibrated probability that the top section answers the question."""
    z = BIAS + sum(WEIGHTS[name] * value for name, value in signals.as_dict().items())
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
