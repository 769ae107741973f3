"""Answering: curated answers win, passages are cited, the unknown is admitted and recorded."""

from __future__ import annotations

import shutil

import pytest

from knowledge.core import Sunbae
from knowledge.errors import EmptyQuestion


def test_curated_answer_wins_over_passages(sample_core) -> None:  # type: ignore[no-untyped-def]
    """A question a curated answer covers gets the curated text, its author and its days."""
    answer = sample_core.ask("DataLoader에서 collate_fn은 무슨 역할을 해?")
    assert answer.kind == "curated"
    assert answer.curated_slug == "collate-fn"
    assert answer.curated_author
    assert any(c.label == "Week 2 · Day 8 (11/15)" for c in answer.citations)


def test_particles_do_not_break_a_curated_match(core) -> None:  # type: ignore[no-untyped-def]
    """A keyword-style phrasing matches the same words with Korean particles around them."""
    core.add_curated(question="과제 제출", answer="과제는 LMS의 과제 탭에 제출해요.",
                     author="tester", slug="homework")
    answer = core.ask("과제를 어디에 제출하나요?")
    assert answer.kind == "curated"
    assert answer.curated_slug == "homework"


def test_retired_curated_answer_is_not_used(sample_core) -> None:  # type: ignore[no-untyped-def]
    """Retiring a curated answer sends its questions back to the journals."""
    sample_core.retire_curated("collate-fn", author="tester")
    answer = sample_core.ask("DataLoader에서 collate_fn은 무슨 역할을 해?")
    assert answer.curated_slug != "collate-fn"


def test_passage_answer_cites_the_day(sample_core) -> None:  # type: ignore[no-untyped-def]
    """A question the journal answers is answered from it, citing the day, with a quote."""
    answer = sample_core.ask("두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?")
    assert answer.kind == "passage"
    assert answer.citations[0].label == "Week 2 · Day 8 (11/15)"
    assert answer.citations[0].quote
    assert len(answer.citations) <= sample_core.settings.max_citations


def test_unanswerable_question_abstains_and_is_recorded(sample_core) -> None:  # type: ignore[no-untyped-def]
    """A question the notes do not answer gets 'I don't know yet' and joins the worklist."""
    answer = sample_core.ask("쿠버네티스 파드 오토스케일링은 어떻게 설정해?")
    assert answer.kind == "abstain"
    assert answer.text.startswith("아직 모르겠어요")
    assert answer.nearest_topics
    unanswered = sample_core.unanswered()
    assert [g.question for g in unanswered] == [answer.question]


def test_english_abstention_is_in_english(sample_core) -> None:  # type: ignore[no-untyped-def]
    """An English question that cannot be answered is told so in English."""
    answer = sample_core.ask("How do I configure Kubernetes pod autoscaling?")
    assert answer.kind == "abstain"
    assert answer.text.startswith("I don't know yet")


@pytest.mark.parametrize("question", ["", "   ", "🙂🙂🙂", "?!"])
def test_empty_question_is_refused(sample_core, question: str) -> None:  # type: ignore[no-untyped-def]
    """A question with nothing to search for is refused with a clear message."""
    with pytest.raises(EmptyQuestion):
        sample_core.ask(question)


def test_feedback_is_one_vote_per_person(sample_core) -> None:  # type: ignore[no-untyped-def]
    """Votes are stored on the ask; a person's second vote replaces the first."""
    ask_id = sample_core.ask("hook이 뭐야?").ask_id
    sample_core.vote(ask_id, "alice", 1)
    sample_core.vote(ask_id, "bob", 1)
    sample_core.vote(ask_id, "alice", -1)
    assert sample_core.votes(ask_id) == (1, 1)


def test_deleted_index_gives_same_answers(sample_core, settings, embedder) -> None:  # type: ignore[no-untyped-def]
    """Deleting the index files and restarting rebuilds them and answers the same."""
    questions = ["contiguous가 뭐야?", "vgg에 fc 붙이면 왜 자동으로 연결 안 돼?", "피어세션 칭찬"]
    before = [sample_core.ask(q) for q in questions]
    sample_core.close()
    shutil.rmtree(settings.resolved_index_dir)
    restarted = Sunbae.open(settings, embedder=embedder)
    try:
        after = [restarted.ask(q) for q in questions]
        assert (settings.resolved_index_dir / "manifest.json").exists()
    finally:
        restarted.close()
    assert [(a.kind, a.text, [c.label for c in a.citations]) for a in after] == [
        (b.kind, b.text, [c.label for c in b.citations]) for b in before
    ]


def test_unanswered_groups_alike_questions(sample_core) -> None:  # type: ignore[no-untyped-def]
    """Alike unanswered questions form one group, counted and listed first."""
    for question in ["쿠버네티스 파드 오토스케일링은 어떻게 설정해?",
                     "쿠버네티스 파드 오토스케일링 어떻게 설정해요?",
                     "How do I configure Kubernetes pod autoscaling?"]:
        assert sample_core.ask(question).kind == "abstain"
    groups = sample_core.unanswered()
    assert groups[0].count == 2
    assert sum(g.count for g in groups) == 3


def test_a_promoted_answer_keeps_the_days_it_cited(sample_core) -> None:  # type: ignore[no-untyped-def]
    """`promote` of a bot answer gives a curated answer citing the same days: the next identical
    question gets the curated answer with those days first."""
    question = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"
    first = sample_core.ask(question)
    assert first.kind == "passage" and first.ask_id is not None
    view = sample_core.promote(first.ask_id, author="maintainer")
    assert view.cites and view.cites[0] == "week2.md · Day 8"
    again = sample_core.ask(question, record=False)
    assert again.kind == "curated" and again.curated_slug == view.slug
    labels = [c.label for c in again.citations]
    assert labels[: len(view.cites)] == [c.label for c in first.citations][: len(view.cites)]
