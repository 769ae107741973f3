"""`sunbae eval`: ask every question of a file against a fresh store and score the answers."""

from __future__ import annotations

import json
import statistics
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.answering.answer import Answer, Citation
from knowledge.settings import Settings


@dataclass(frozen=True)
class EvalQuestion:
    """One line of a questions file."""

    id: str
    q: str
    kind: str
    answer_days: tuple[str, ...] = ()
    answer_sources: tuple[str, ...] = ()
    evidence: str = ""

    @property
    def answerable(self) -> bool:
        """Whether the journals answer it."""
        return bool(self.answer_days or self.answer_sources)


@dataclass
class EvalResult:
    """One question with Sunbae's answer and where the right days ranked."""

    question: EvalQuestion
    answer: Answer
    ranks: list[int] = field(default_factory=list)  # 1-based ranks of answering citations


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read a JSONL questions file (see shared/eval/README.md for the fields)."""
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            questions.append(
                EvalQuestion(
                    id=str(row.get("id", number)),
                    q=row["q"],
                    kind=row.get("kind", "unknown"),
                    answer_days=tuple(row.get("answer_days") or ()),
                    answer_sources=tuple(row.get("answer_sources") or ()),
                    evidence=row.get("evidence") or "",
                )
            )
        except (ValueError, KeyError) as exc:
            raise ValueError(f"{path}:{number}: not a question line ({exc})") from exc
    return questions


def citation_answers(citation: Citation, question: EvalQuestion) -> bool:
    """Whether a citation points at a day (or file) that answers the question."""
    if citation.day and citation.day in question.answer_days:
        return True
    return any(citation.source.endswith(suffix) for suffix in question.answer_sources)


def shown_text(answer: Answer) -> str:
    """What a person reads: the answer and the quotes of the citations shown under it."""
    return "\n".join([answer.text, *(c.quote for c in answer.shown_days()[:3])])


def _normalise(text: str) -> str:
    return " ".join(text.split())


def score(results: list[EvalResult]) -> dict[str, Any]:
    """hit@k, MRR@10, abstention and evidence figures, overall and per kind."""
    answerable = [r for r in results if r.question.answerable]
    unanswerable = [r for r in results if not r.question.answerable]

    def block(rows: list[EvalResult]) -> dict[str, float]:
        n = len(rows) or 1
        out = {
            f"hit@{k}": sum(1 for r in rows if r.ranks and r.ranks[0] <= k) / n
            for k in (1, 3, 5)
        }
        out["mrr@10"] = sum(1 / r.ranks[0] for r in rows if r.ranks and r.ranks[0] <= 10) / n
        out["n"] = len(rows)
        return out

    metrics: dict[str, Any] = block(answerable)
    multi = [r for r in answerable if r.question.kind == "multi"]
    if multi:
        metrics["multi_all@5"] = sum(
            1 for r in multi
            if len([x for x in r.ranks if x <= 5]) >= len(r.question.answer_days)
        ) / len(multi)
    metrics["abstain_recall"] = (
        sum(1 for r in unanswerable if r.answer.kind in {"abstain", "curated"})
        / len(unanswerable) if unanswerable else None
    )
    metrics["false_abstain"] = (
        sum(1 for r in answerable if r.answer.kind == "abstain") / len(answerable)
        if answerable else None
    )
    with_evidence = [r for r in answerable if r.question.evidence]
    metrics["evidence_recall"] = (
        sum(1 for r in with_evidence
            if _normalise(r.question.evidence) in _normalise(shown_text(r.answer)))
        / len(with_evidence) if with_evidence else None
    )
    metrics["curated_on_unanswerable"] = sum(1 for r in unanswerable
                                             if r.answer.kind == "curated")
    metrics["curated_wrong"] = sum(1 for r in answerable
                                   if r.answer.kind == "curated" and not r.ranks)
    latencies = sorted(r.answer.latency_ms for r in results)
    metrics["p50_ms"] = statistics.median(latencies) if latencies else None
    metrics["p95_ms"] = latencies[int(0.95 * (len(latencies) - 1))] if latencies else None
    kinds: dict[str, list[EvalResult]] = defaultdict(list)
    for r in answerable:
        kinds[r.question.kind].append(r)
    metrics["by_kind"] = {kind: block(rows) for kind, rows in sorted(kinds.items())}
    metrics["questions"] = len(results)
    return metrics


def details_line(result: EvalResult) -> dict[str, Any]:
    """One question's outcome, as `sunbae eval --details` writes it (one JSON line each)."""
    answer = result.answer
    return {
        "id": result.question.id,
        "kind": result.question.kind,
        "answer_kind": answer.kind,
        "confidence": round(answer.confidence, 4),
        "ranks": result.ranks,
        "citations": [{"source": c.source, "label": c.label, "day": c.day}
                      for c in answer.shown_days()],
        "curated": answer.curated_slug,
    }


def write_details(results: list[EvalResult], path: Path) -> None:
    """`--details FILE`: a JSON line per question."""
    path.write_text("".join(json.dumps(details_line(r), ensure_ascii=False) + "\n"
                            for r in results), encoding="utf-8")


def run_eval(
    questions_path: Path,
    corpora: list[Path],
    *,
    settings: Settings,
    on_result: Callable[[EvalResult], None] | None = None,
    depth: int = 10,
    embedder: Any = None,
) -> tuple[dict[str, Any], list[EvalResult]]:
    """Ingest the corpora and the shipped curated answers into a fresh store; ask everything."""
    from knowledge.core import Sunbae

    questions = load_questions(questions_path)
    with tempfile.TemporaryDirectory(prefix="sunbae-eval-") as tmp:
        fresh = settings.model_copy(
            update={"data_dir": Path(tmp), "database_url": None, "index_dir": None,
                    "model_cache": settings.resolved_model_cache.resolve()}
        )
        core = Sunbae.open(fresh, embedder=embedder)
        try:
            core.ingest_paths(corpora)
            core.load_shipped_curated()
            results = []
            for question in questions:
                answer = core.ask(question.q, max_citations=depth, user="eval")
                # Ranked over the days a camper is shown (a curated answer's related days
                # after its citations), as before they were apart.
                ranks = [i for i, c in enumerate(answer.shown_days(), 1)
                         if citation_answers(c, question)]
                result = EvalResult(question, answer, ranks)
                results.append(result)
                if on_result:
                    on_result(result)
        finally:
            core.close()
    return score(results), results
