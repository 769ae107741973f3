"""Leave-one-corpus-out scoring: the held-out decision is exactly the product's."""

from __future__ import annotations

from knowledge.answering.answerability import SIGNAL_NAMES, shipped_model
from knowledge.core import Sunbae
from knowledge.evaluation.evaluate import EvalQuestion, EvalResult, details_line, score
from knowledge.evaluation.loco import apply_model, leave_one_out
from knowledge.notes.ingest import NoteFile

NOTE = NoteFile(key="week1.md", display="week1.md", text=(
    "# Week 1\n\n## Day 1\n\n오늘은 AdamW 옵티마이저를 공부했다. weight decay를 분리한다.\n\n"
    "## Day 2\n\nBatchNorm momentum을 배웠다. 추론 때는 running mean을 쓴다.\n\n"
    "## Day 3\n\n팀 회고를 했다. 다음 주에는 git branch 전략을 정하기로 했다.\n"
))
QUESTIONS = ["AdamW weight decay 분리", "BatchNorm momentum 추론", "MySQL 인덱스 몇 개 만들었어?",
             "git branch 전략", "Kubernetes pod 몇 개 띄웠어?"]


def test_applying_the_model_afterwards_is_what_the_answerer_does(fast_core: Sunbae) -> None:
    """Answers collected with abstention off, then declined by the model, match the answers
    the product gives with abstention on, question by question."""
    fast_core.ingest_notes([NOTE])
    threshold = 0.5
    fast_core.settings.answer_threshold = 0.0
    open_answers = [fast_core.ask(q, record=False) for q in QUESTIONS]
    fast_core.settings.answer_threshold = threshold
    product = [fast_core.ask(q, record=False) for q in QUESTIONS]
    question = EvalQuestion(id="x", q="", kind="keyword", answer_days=("Day 1",))
    applied = apply_model([EvalResult(question, a, [1]) for a in open_answers],
                          shipped_model(), threshold)
    assert [r.answer.kind for r in applied] == [a.kind for a in product]
    assert [round(r.answer.confidence, 6) for r in applied] == [
        round(a.confidence, 6) for a in product]


def _result(qid: str, answerable: bool, sent_top: float, kind: str = "passage") -> EvalResult:
    from knowledge.answering.answer import Answer

    question = EvalQuestion(id=qid, q=qid, kind="keyword" if answerable else "unanswerable",
                            answer_days=("Day 1",) if answerable else ())
    scores = {**dict.fromkeys(SIGNAL_NAMES, 0.0), "sent_top": sent_top}
    answer = Answer(question=qid, text="", kind=kind, confidence=0.0,  # type: ignore[arg-type]
                    language="ko", scores=scores, curated_slug="c" if kind == "curated" else None)
    return EvalResult(question, answer, [1] if answerable else [])


def test_each_corpus_is_scored_by_a_model_fitted_without_it() -> None:
    """A corpus whose questions alone would flip the fit is still scored by the others'."""
    steady = [_result(f"a{i}", i % 4 != 0, 0.9 if i % 4 else 0.7) for i in range(20)]
    other = [_result(f"b{i}", i % 4 != 0, 0.9 if i % 4 else 0.7) for i in range(20)]
    # In this corpus the signal points the other way: a fit that saw it would be weaker.
    odd = [_result(f"c{i}", i % 4 == 0, 0.9 if i % 4 else 0.7) for i in range(8)]
    report = leave_one_out({"steady": steady, "other": other, "odd": odd}, 0.4)
    assert report.fits["odd"].model.weights["sent_top"] > 0
    assert report.rows["odd"]["false_abstain"] == 1.0  # its answerable ones look unanswerable
    # The folds that saw `odd` trust the signal less.
    assert report.fits["steady"].model.weights["sent_top"] < report.fits["odd"].model.weights[
        "sent_top"]


def test_curated_answers_are_counted_apart() -> None:
    """A curated answer on an unanswerable question and a wrong curated answer are counted."""
    results = [_result("u", False, 0.8, "curated"), _result("w", True, 0.8, "curated"),
               _result("r", True, 0.9)]
    results[1].ranks.clear()  # its citations do not answer
    metrics = score(results)
    assert metrics["curated_on_unanswerable"] == 1 and metrics["curated_wrong"] == 1
    line = details_line(results[1])
    assert line["curated"] == "c" and line["answer_kind"] == "curated" and line["ranks"] == []
    assert set(line) == {"id", "kind", "answer_kind", "confidence", "ranks", "citations",
                         "curated"}
