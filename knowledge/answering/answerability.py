"""Whether the best day answers a question: four verification features, one logistic model."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

from index.search import SectionHit


@dataclass(frozen=True, kw_only=True)
class Signals:
    """What the best day says about whether it answers the question.

    Chosen leave-one-corpus-out among many (README, "Answerability"): these four kept their
    sign on every held-out journal; shared-word and dense-score signals did not.
    """

    foreign: float  # English terms of a Korean question that no note contains (typos forgiven)
    number_missing: float  # 1: asks for a number of something the top day never gives one for
    margin: float  # how far the top day leads the second (fused score, relative)
    sent_top: float  # best cosine between the question and one sentence of the top day

    def as_dict(self) -> dict[str, float]:
        """The signals, for the ask log."""
        return {k: round(v, 4) for k, v in asdict(self).items()}


SIGNAL_NAMES = tuple(f.name for f in fields(Signals))
# The answer threshold the shipped model's bias is shifted to: the fitted threshold lands on
# Settings.answer_threshold's default, so raising that setting still means "abstain more".
REFERENCE_THRESHOLD = 0.4


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


def rank_margin(hits: list[SectionHit]) -> float:
    """How far the first section's fused score leads the second's, relative to the first."""
    if len(hits) < 2 or hits[0].score <= 0:
        return 0.0
    return (hits[0].score - hits[1].score) / hits[0].score


_ASKS_NUMBER = re.compile(
    r"몇|얼마|수치|점수|순위|등수|how (many|much|big|long|large|high|low|fast)|"
    r"what (was |is |were |are )?(the )?(final )?(score|value|number|size|rate|accuracy|auc|"
    r"map|iou|f1|batch size|learning rate|lr|epoch)|which (value|number)",
    re.I,
)
# Where the asked-for word sits: before 몇/얼마 (`batch size 몇`), after the English cues.
_NUMBER_CUE = re.compile(r"몇|얼마|how (many|much)|what (was |is )?(the )?(final )?", re.I)
# Nouns that are numbers themselves: with no 몇/얼마 cue, the question asks for this one.
_NUMBER_NOUN = re.compile(r"점수|순위|등수|수치")
# Words that frame a number question without saying what is counted.
_FRAMING = frozenset("최종 각각 보통 실제 결국 정도 우리 팀 대회 때 당시 처음 마지막".split())
_DIGITS = re.compile(r"\d+")
# A question asking why a score moved names the score but wants a reason: only an explicit
# count cue (몇, 얼마, how many) still makes it a number question.
_ASKS_REASON = re.compile(r"왜|원인|이유|\bwhy\b", re.I)
_COUNT_CUE = re.compile(r"몇|얼마|how (many|much|big|long|large|high|low|fast)", re.I)


def asks_for_number(question: str) -> bool:
    """Whether a question wants a number (몇, 얼마, 점수, how many, what score, …), not the
    reason a number moved (`점수가 낮게 나온 원인`)."""
    if _ASKS_REASON.search(question) and not _COUNT_CUE.search(question):
        return False
    return bool(_ASKS_NUMBER.search(question))


def number_focus(question: str, words: list[tuple[str, int]]) -> str | None:
    """The word a number question asks the number of: the noun or English word right before
    `몇`/`얼마`, or right after `how many`/`what (the final)`; framing words skipped. With
    no such cue, a noun that is a number itself (점수, 순위); else None.

    `words` are the question's content words with their offsets (Tokenizer.content_words).
    """
    cue = _NUMBER_CUE.search(question)
    if not cue:
        # `최종 점수랑 순위 어떻게 나왔어?`: the noun that names a number is what it asks.
        noun = _NUMBER_NOUN.search(question)
        return noun.group(0) if noun else None
    kept = [(word, at) for word, at in words if word not in _FRAMING and word != "얼마"]
    before = [word for word, at in kept if at < cue.start()]
    after = [word for word, at in kept if at >= cue.end()]
    if cue.group(0)[0] in "몇얼":
        return before[-1] if before else (after[0] if after else None)
    return after[0] if after else (before[-1] if before else None)


def asked_action(question: str, positioned: list[tuple[str, int]]) -> str | None:
    """The verb a `얼마(나)` question asks the amount of, its first search token after the cue
    (`역량을 얼마나 드러내라고 했어?` → 드러내): the sentence giving the amount may name the
    action rather than the noun (`120을 가진 것처럼 드러내라`). `positioned` are the
    question's search tokens with their offsets (Tokenizer.positioned_tokens)."""
    cue = _NUMBER_CUE.search(question)
    if not cue or not cue.group(0).startswith("얼마"):
        return None
    after = sorted((at, token) for token, at in positioned if at >= cue.end())
    return after[0][1] if after else None


def number_missing(
    question: str,
    asked: Collection[str],
    sentences: Iterable[tuple[str, Collection[str]]],
) -> float:
    """1 when the question asks for a number and no sentence that names what it asks about
    (`asked`: the focus word and its glossary words) holds a digit of its own, else 0.

    The asked-for number is the one verification that held on every journal: an on-topic day
    that never gives the number cannot answer. Digits the question itself holds (ResNet-34)
    do not count.
    """
    if not asks_for_number(question):
        return 0.0
    own = set(_DIGITS.findall(question))
    for text, tokens in sentences:
        if any(t in asked for t in tokens) and any(d not in own for d in _DIGITS.findall(text)):
            return 0.0
    return 1.0


_TERM = re.compile(r"^[a-z][a-z0-9_.]+$")


def foreign_terms(question_tokens: list[str], knows: Callable[[str], bool]) -> list[str]:
    """English technical terms in a Korean question that the notes never mention.

    Campers write Korean prose with English terms; a term the notes never use (MySQL, gamma,
    BERT4Rec) usually means the notes cannot answer. A one-letter typo of a known term counts
    as known.
    """
    return [t for t in dict.fromkeys(question_tokens) if _TERM.match(t) and not knows(t)]


def confidence(signals: Signals, model: AnswerabilityModel | None = None) -> float:
    """How sure the model is that the top day answers (0-1; the shipped model's bias puts its
    fitted threshold at REFERENCE_THRESHOLD)."""
    model = model or shipped_model()
    z = model.bias + sum(model.weights[name] * value for name, value in signals.as_dict().items())
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def declines(signals: Signals, threshold: float, model: AnswerabilityModel | None = None) -> bool:
    """Whether Sunbae abstains on these signals: the one rule the answerer and `make eval`
    share, so a held-out score is exactly what the product would do."""
    return confidence(signals, model) < threshold
