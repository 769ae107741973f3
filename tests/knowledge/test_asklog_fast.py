"""The ask log on a SQLite file: recording, votes, the unanswered worklist and resolving it."""

from __future__ import annotations

import pytest

from knowledge.answering.answer import Answer, AnswerKind, Citation
from knowledge.store.asklog import AskLog
from knowledge.store.database import Store
from tests.fakes import FakeEmbedder


@pytest.fixture
def asks(store: Store) -> AskLog:
    """The ask log of a fresh store."""
    return AskLog(store)


def answer(question: str, kind: AnswerKind = "abstain", *, section_ids: tuple[int, ...] = ()
           ) -> Answer:
    """An answer as the core hands it to the log."""
    citations = [Citation(source="week2.md", label=f"Day {s}", day=f"Day {s}", week=2,
                          date=None, quote="…", section_id=s) for s in section_ids]
    return Answer(question=question, text="아직 모르겠어요" if kind == "abstain" else "답",
                  kind=kind, confidence=0.7, language="ko", citations=citations,
                  scores={"dense": 0.5}, latency_ms=12.5)


def test_a_recorded_ask_reads_back_with_its_outcome(asks: AskLog) -> None:
    """Question, user, channel, outcome, answer, scores and cited sections are stored."""
    ask_id = asks.record(answer("hook 이 뭐야?", "passage", section_ids=(7, 9)),
                         user="camper", channel="qa")
    row = asks.get(ask_id)
    assert row is not None
    assert (row.question, row.user, row.channel) == ("hook 이 뭐야?", "camper", "qa")
    assert (row.outcome, row.answer, row.language) == ("passage", "답", "ko")
    assert row.cited_passages == [7, 9] and row.scores == {"dense": 0.5}
    assert row.latency_ms == 12.5 and not row.resolved


def test_every_ask_gets_its_own_id(asks: AskLog) -> None:
    """The same question asked twice is two asks."""
    first = asks.record(answer("hook?"), user=None, channel=None)
    second = asks.record(answer("hook?"), user=None, channel=None)
    assert first != second


def test_an_unknown_ask_reads_as_none(asks: AskLog) -> None:
    """`get` of an id never given is None."""
    assert asks.get(12345) is None


def test_an_up_vote_is_counted(asks: AskLog) -> None:
    """👍 from one person: (1, 0)."""
    ask_id = asks.record(answer("hook?", "passage"), user="camper", channel=None)
    asks.vote(ask_id, "alice", 1)
    assert asks.votes(ask_id) == (1, 0)


def test_each_person_has_one_vote(asks: AskLog) -> None:
    """Two people vote up; one of them changes to down: (1, 1)."""
    ask_id = asks.record(answer("hook?", "passage"), user="camper", channel=None)
    asks.vote(ask_id, "alice", 1)
    asks.vote(ask_id, "bob", 1)
    asks.vote(ask_id, "alice", -1)
    assert asks.votes(ask_id) == (1, 1)


def test_voting_the_same_way_twice_counts_once(asks: AskLog) -> None:
    """A repeated 👎 by one person is still one down-vote."""
    ask_id = asks.record(answer("hook?", "passage"), user="camper", channel=None)
    asks.vote(ask_id, "alice", -1)
    asks.vote(ask_id, "alice", -1)
    assert asks.votes(ask_id) == (0, 1)


def test_votes_belong_to_their_ask(asks: AskLog) -> None:
    """A vote on one ask does not count on another."""
    first = asks.record(answer("hook?", "passage"), user=None, channel=None)
    second = asks.record(answer("view?", "passage"), user=None, channel=None)
    asks.vote(first, "alice", 1)
    assert asks.votes(second) == (0, 0)


def test_a_vote_other_than_up_or_down_is_refused(asks: AskLog) -> None:
    """Only +1 and -1 are votes; nothing is stored for anything else."""
    ask_id = asks.record(answer("hook?", "passage"), user=None, channel=None)
    with pytest.raises(ValueError, match="vote"):
        asks.vote(ask_id, "alice", 2)
    assert asks.votes(ask_id) == (0, 0)


def test_a_vote_on_an_unknown_ask_is_refused(asks: AskLog) -> None:
    """Voting on an id never given is a KeyError naming it."""
    with pytest.raises(KeyError, match="404"):
        asks.vote(404, "alice", 1)


def test_only_open_abstentions_are_unanswered(asks: AskLog) -> None:
    """Passage and curated answers never reach the worklist; abstentions do."""
    asks.record(answer("hook?", "passage"), user=None, channel=None)
    asks.record(answer("collate_fn?", "curated"), user=None, channel=None)
    asks.record(answer("쿠버네티스 설정?"), user=None, channel=None)
    assert [g.question for g in asks.unanswered()] == ["쿠버네티스 설정?"]


def test_identical_questions_form_one_group(asks: AskLog) -> None:
    """Case, spacing and punctuation do not make a different question; variants are kept."""
    ids = [asks.record(answer(q), user=None, channel=None)
           for q in ["Kubernetes 설정?", "kubernetes  설정", "KUBERNETES 설정!!", "도커 볼륨?"]]
    groups = asks.unanswered()
    assert [(g.question, g.count) for g in groups] == [("Kubernetes 설정?", 3), ("도커 볼륨?", 1)]
    assert groups[0].ask_ids == ids[:3]
    assert groups[0].variants == ["Kubernetes 설정?", "kubernetes  설정", "KUBERNETES 설정!!"]
    assert groups[0].last_asked is not None


def test_groups_come_most_asked_first_and_up_to_the_limit(asks: AskLog) -> None:
    """The most asked question leads; `limit` cuts the list."""
    for question in ["a 질문", "b 질문", "b 질문", "c 질문", "c 질문", "c 질문"]:
        asks.record(answer(question), user=None, channel=None)
    assert [(g.question, g.count) for g in asks.unanswered()] == [
        ("c 질문", 3), ("b 질문", 2), ("a 질문", 1)]
    assert [g.question for g in asks.unanswered(limit=1)] == ["c 질문"]


def test_alike_questions_merge_when_an_embedder_is_given(asks: AskLog,
                                                         fake_embedder: FakeEmbedder) -> None:
    """The same words in another order are one group by meaning, two by spelling."""
    for question in ["pod autoscaling 설정", "설정 pod autoscaling", "도커 볼륨"]:
        asks.record(answer(question), user=None, channel=None)
    assert len(asks.unanswered()) == 3
    grouped = asks.unanswered(embed=fake_embedder.embed_queries)
    assert [(g.question, g.count) for g in grouped] == [("pod autoscaling 설정", 2),
                                                        ("도커 볼륨", 1)]
    assert grouped[0].variants == ["pod autoscaling 설정", "설정 pod autoscaling"]


def test_resolved_questions_leave_the_worklist(asks: AskLog) -> None:
    """Resolving a group's asks takes it off; unknown ids are ignored."""
    ids = [asks.record(answer(q), user=None, channel=None) for q in ["도커?", "도커", "k8s?"]]
    asks.resolve([*ids[:2], 999])
    assert [g.question for g in asks.unanswered()] == ["k8s?"]
    resolved = asks.get(ids[0])
    assert resolved is not None and resolved.resolved


def test_a_question_asked_again_after_resolving_is_open_again(asks: AskLog) -> None:
    """A new ask of a resolved question starts a new group of one."""
    asks.resolve([asks.record(answer("도커?"), user=None, channel=None)])
    asks.record(answer("도커?"), user=None, channel=None)
    assert [(g.question, g.count) for g in asks.unanswered()] == [("도커?", 1)]
