"""`make eval`: leave-one-corpus-out over every evaluation set, one row per corpus and a mean.

Every corpus is ingested once into a fresh store and every question asked once through the
product's own path with abstention off (answer threshold 0), keeping each answer and its
signals. Then, per held-out corpus, the answerability model is fitted on the other corpora's
questions and applied with `declines`, the very rule the answerer uses: a passage answer it
declines becomes the product's abstention. Nothing fitted ever sees the corpus it is scored on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from index.embedder import TextEmbedder
from knowledge.answering.answerability import (
    SIGNAL_NAMES,
    AnswerabilityModel,
    Signals,
    confidence,
    declines,
)
from knowledge.evaluation.calibrate import Fit, Sample, fit
from knowledge.evaluation.evaluate import EvalResult, run_eval, score
from knowledge.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
COLUMNS = ("hit@1", "hit@5", "abstain_recall", "false_abstain", "evidence_recall",
           "curated_wrong", "curated_on_unanswerable")
LABELS = {"hit@1": "hit@1", "hit@5": "hit@5", "abstain_recall": "abst. recall",
          "false_abstain": "false abst.", "evidence_recall": "evidence",
          "curated_wrong": "cur. wrong", "curated_on_unanswerable": "cur. on unans."}


@dataclass(frozen=True)
class EvalSet:
    """A questions file and the one corpus it asks about."""

    name: str
    questions: Path
    corpus: Path


def default_sets() -> list[EvalSet]:
    """The five development corpora: three question files in ../shared/eval, two here."""
    eval_dir, corpus, ours = SHARED / "eval", SHARED / "corpus", REPO / "tests" / "data"
    return [
        EvalSet("juniork725", eval_dir / "dev.jsonl", corpus / "juniork725"),
        EvalSet("hongsusoo", eval_dir / "hongsusoo.jsonl", corpus / "hongsusoo"),
        EvalSet("bluecandle", eval_dir / "bluecandle.jsonl", corpus / "bluecandle"),
        EvalSet("peter-shlee", ours / "peter-shlee.jsonl", corpus / "peter-shlee"),
        EvalSet("taehakim", ours / "taehakim.jsonl", corpus / "taehakim"),
    ]


def parse_set(spec: str) -> EvalSet:
    """`QUESTIONS.jsonl:CORPUS_DIR`, named after the corpus folder."""
    questions, corpus = spec.split(":", 1)
    return EvalSet(Path(corpus).name, Path(questions), Path(corpus))


def collect(eval_set: EvalSet, settings: Settings, embedder: TextEmbedder) -> list[EvalResult]:
    """Every question of a set answered with abstention off, on a fresh store of its corpus."""
    open_settings = settings.model_copy(update={"answer_threshold": 0.0})
    _, results = run_eval(eval_set.questions, [eval_set.corpus], settings=open_settings,
                          embedder=embedder)
    return results


def collect_all(sets: list[EvalSet], settings: Settings,
                embedder: TextEmbedder | None = None) -> dict[str, list[EvalResult]]:
    """`collect` for every set, embedding through a file cache of vectors (data/eval-vectors)
    unless an embedder is given."""
    from knowledge.evaluation.vector_cache import CachedEmbedder
    from knowledge.startup import load_embedder

    cached = None
    if embedder is None:
        cache = settings.data_dir / "eval-vectors" / "vectors.sqlite"
        embedder = cached = CachedEmbedder(load_embedder(settings), cache)
    try:
        return {s.name: collect(s, settings, embedder) for s in sets}
    finally:
        if cached is not None:
            cached.close()


def signals_of(result: EvalResult) -> Signals:
    """The signals the answerer recorded for a passage answer."""
    return Signals(**{name: result.answer.scores[name] for name in SIGNAL_NAMES})


def samples_of(corpus: str, results: list[EvalResult]) -> list[Sample]:
    """The questions that reached the passage path (curated ones did not), as fit samples."""
    return [
        Sample(r.question.id, {n: r.answer.scores[n] for n in SIGNAL_NAMES},
               r.question.answerable, corpus)
        for r in results if r.answer.kind == "passage"
    ]


def apply_model(results: list[EvalResult], model: AnswerabilityModel,
                threshold: float) -> list[EvalResult]:
    """What the product answers with this model: passage answers it declines abstain."""
    out = []
    for r in results:
        if r.answer.kind != "passage":
            out.append(r)
            continue
        signals = signals_of(r)
        answer = replace(r.answer, confidence=confidence(signals, model))
        if declines(signals, threshold, model):
            answer = replace(answer, kind="abstain", citations=[], text="")
            out.append(EvalResult(r.question, answer, []))
        else:
            out.append(EvalResult(r.question, answer, r.ranks))
    return out


@dataclass
class LocoReport:
    """Per held-out corpus: its figures, the fold's fit, and its per-question outcomes."""

    rows: dict[str, dict[str, Any]]
    fits: dict[str, Fit]
    results: dict[str, list[EvalResult]]

    def mean(self) -> dict[str, float]:
        """The mean of each column over the corpora."""
        return {c: sum(float(r[c]) for r in self.rows.values()) / len(self.rows)
                for c in COLUMNS}


def leave_one_out(collected: dict[str, list[EvalResult]], threshold: float) -> LocoReport:
    """Fit on all corpora but one, score the one left out; for each corpus."""
    report = LocoReport({}, {}, {})
    for held in collected:
        train = [s for name, results in collected.items() if name != held
                 for s in samples_of(name, results)]
        fold = fit(train)
        results = apply_model(collected[held], fold.model, threshold)
        report.rows[held] = score(results)
        report.fits[held] = fold
        report.results[held] = results
    return report


def render(report: LocoReport) -> str:
    """The table `make eval` prints."""
    head = f"{'held-out corpus':18}" + "".join(f"{LABELS[c]:>14}" for c in COLUMNS)
    lines = [head, "-" * len(head)]

    def cell(value: float, column: str) -> str:
        return f"{value:>14.0f}" if column.startswith("curated") else f"{value:>14.3f}"

    for name, row in report.rows.items():
        lines.append(f"{name:18}" + "".join(cell(float(row[c]), c) for c in COLUMNS))
    mean = report.mean()
    lines.append(f"{'mean':18}" + "".join(
        f"{mean[c]:>14.2f}" if c.startswith("curated") else f"{mean[c]:>14.3f}"
        for c in COLUMNS))
    for name, fold in report.fits.items():
        weights = " ".join(f"{k} {v:+.2f}" for k, v in fold.model.weights.items())
        lines.append(f"  fold without {name}: {weights}, bias {fold.model.bias:+.2f} "
                     f"(threshold {fold.threshold:.3f} before the shift)")
    return "\n".join(lines)
