"""What an ask returns: the answer, its kind, confidence and citations."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

AnswerKind = Literal["curated", "passage", "abstain"]


@dataclass(frozen=True)
class Citation:
    """A day (or section) an answer rests on, with a short quote from it."""

    source: str
    label: str
    day: str | None
    week: int | None
    date: str | None
    quote: str
    section_id: int
    url: str | None = None


@dataclass
class Answer:
    """Sunbae's reply to one question, before any transport formats it."""

    question: str
    text: str
    kind: AnswerKind
    confidence: float
    language: str
    citations: list[Citation] = field(default_factory=list)
    # A curated answer's neighbours: days of the asker's own notes that discuss its question,
    # labelled as such. Shown after the citations, never among them: a camper's note is never
    # evidence the maintainers' answer rests on.
    related: list[Citation] = field(default_factory=list)
    nearest_topics: list[str] = field(default_factory=list)
    curated_slug: str | None = None
    curated_author: str | None = None
    ask_id: int | None = None
    latency_ms: float = 0.0
    scores: dict[str, float] = field(default_factory=dict)
    # Sections ranked beyond the citations shown (ids), for "More sources" and evaluation.
    ranked_section_ids: list[int] = field(default_factory=list)

    def shown_days(self) -> list[Citation]:
        """Every day a person is shown: the citations, then the related days."""
        return self.citations + self.related

    def to_json(self) -> dict[str, Any]:
        """The shape `sunbae ask --json` prints."""
        return {
            "answer": self.text,
            "kind": self.kind,
            "confidence": round(self.confidence, 4),
            "citations": _citations_json(self.citations),
            "related": _citations_json(self.related),
            "latency_ms": round(self.latency_ms, 1),
            "ask_id": self.ask_id,
            "curated": self.curated_slug,
            "curated_author": self.curated_author,
            "nearest_topics": self.nearest_topics,
        }


def _citations_json(citations: list[Citation]) -> list[dict[str, Any]]:
    return [{k: v for k, v in asdict(c).items() if k != "section_id"} for c in citations]
