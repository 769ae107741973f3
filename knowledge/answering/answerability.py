"""Whether the best passages answer a question: signals combined into a calibrated confidence."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

from index.search import SectionHit


@dataclass(frozen=True, kw_only=True)
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


SIGNAL_NAMES = tuple(f.name for f in fields(Signals))


@dataclass(frozen=True)
class AnswerabilityModel:
    """Logistic weights over the signals and a bias, as fitted by knowledge.evaluation.calibrate."""

    weights: dict[str, float]
    bias: float


def model_file() -> Traversable:
    """The fitted weights shipped in the package (how they were fitted is noted inside)."""
    return resources.files("knowledge") / "resources" / "answerability.json"


def parse_model(data: dict[str, object]) -> AnswerabilityModel:
    """The model of a decoded `answerability.json`; every signal must have its weight."""
    weights = data.get("weights")
    if not isinstance(weights, dict) or set(weights) != set(SIGNAL_NAMES):
        raise ValueError(f"answerability weights must name exactly the signals {SIGNAL_NAMES}")
    return AnswerabilityModel(
        weights={name: float(weights[name]) for name in SIGNAL_NAMES},
        bias=float(data["bias"]),  # type: ignore[arg-type]
    )


@lru_cache(maxsize=1)
def shipped_model() -> AnswerabilityModel:
    """The weights in `knowledge/resources/answerability.json`, read once per process."""
    return parse_model(json.loads(model_file().read_text(encoding="utf-8")))


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


def confidence(signals: Signals, model: AnswerabilityModel | None = None) -> float:
    """The calibrated probability that the top section answers the question."""
    model = model or shipped_model()
    z = model.bias + sum(model.weights[name] * value for name, value in signals.as_dict().items())
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
