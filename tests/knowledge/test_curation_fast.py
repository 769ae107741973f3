"""Curated answers through the Curation class on the fake embedder: add, edit, retire, match."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.query import Query
from index.tokens import Tokenizer
from knowledge.answering.answer import Answer
from knowledge.curation.answers import Curation, MatchPolicy
from knowledge.errors import CurationError
from knowledge.store.asklog import AskLog
from knowledge.store.database import Store
from tests.fakes import FakeEmbedder

QUESTION = "DataLoader collate_fn 은 무슨 역할 을 해?"
ANSWER = "collate_fn 은 샘플 목록을 하나의 batch 로 묶어요."


@pytest.fixture
def curation(store: Store, fake_embedder: FakeEmbedder, tokenizer: Tokenizer) -> Curation:
    """The curated answers of a fresh store, matched with the fake embedder."""
    return Curation(store, fake_embedder, tokenizer)  # type: ignore[arg-type]


def add_collate(curation: Curation, **extra: object) -> None:
    """Add the collate_fn answer with one paraphrase."""
    curation.add(question=QUESTION, answer=ANSWER, author="mentor", slug="collate-fn",
                 paraphrases=["collate_fn 이 뭐야"], cites=["week2.md · Day 8"], **extra)  # type: ignore[arg-type]


def query(question: str, vector: np.ndarray, tokens: list[str]) -> Query:
    """A question as the index hands it to the matcher (no glossary, no idf: not used here)."""
    return Query(text=question, language="ko", limit=3, vector=vector, tokens=tuple(tokens))


def ask(curation: Curation, fake: FakeEmbedder, tokenizer: Tokenizer, question: str):  # type: ignore[no-untyped-def]
    """Match a question as the core does: its vector and its search tokens."""
    return curation.match(query(question, fake.embed_query(question), tokenizer.tokens(question)))


def test_an_added_answer_is_stored_as_version_one(curation: Curation) -> None:
    """What was given is what `get` and `list` return, active, at version 1."""
    add_collate(curation, tags=["pytorch"])
    view = curation.get("collate-fn")
    assert (view.question, view.answer, view.author) == (QUESTION, ANSWER, "mentor")
    assert view.paraphrases == ("collate_fn 이 뭐야",)
    assert view.cites == ("week2.md · Day 8",) and view.tags == ("pytorch",)
    assert view.active and view.version == 1
    assert [v.slug for v in curation.list()] == ["collate-fn"]


def test_the_slug_is_made_from_the_question(curation: Curation) -> None:
    """Without a slug, a readable one comes from the question's words."""
    view = curation.add(question="What is a Leaf Tensor?", answer="One made by the user.",
                        author="mentor")
    assert view.slug == "what-is-a-leaf-tensor"


def test_a_second_answer_under_the_same_slug_is_refused(curation: Curation) -> None:
    """Adding over an existing slug says to edit instead, and keeps the first answer."""
    add_collate(curation)
    with pytest.raises(CurationError, match="already exists"):
        curation.add(question="다른 질문", answer="다른 답", author="other", slug="collate-fn")
    assert curation.get("collate-fn").answer == ANSWER


@pytest.mark.parametrize(("question", "answer", "author"),
                         [("  ", "답", "mentor"), ("질문", "", "mentor"), ("질문", "답", " ")])
def test_an_answer_missing_a_part_is_refused(curation: Curation, question: str, answer: str,
                                            author: str) -> None:
    """A question, an answer and an author are all required; nothing is stored without them."""
    with pytest.raises(CurationError):
        curation.add(question=question, answer=answer, author=author)
    assert curation.list(include_retired=True) == []


def test_an_edit_bumps_the_version_and_keeps_the_old_text_in_history(curation: Curation) -> None:
    """The edited answer is current; the history holds both versions, oldest first."""
    add_collate(curation)
    view = curation.edit("collate-fn", author="maintainer", answer="batch 로 묶는 함수예요.")
    assert (view.version, view.answer, view.author) == (2, "batch 로 묶는 함수예요.", "maintainer")
    history = curation.history("collate-fn")
    assert [(v.version, v.note) for v in history] == [(1, "added"), (2, "edited")]
    assert history[0].answer == ANSWER and history[0].author == "mentor"


def test_an_edit_emptying_the_answer_is_refused_and_changes_nothing(curation: Curation) -> None:
    """An empty answer is not saved, and neither is a new version."""
    add_collate(curation)
    with pytest.raises(CurationError, match="empty"):
        curation.edit("collate-fn", author="maintainer", answer="   ")
    view = curation.get("collate-fn")
    assert (view.answer, view.version) == (ANSWER, 1)
    assert len(curation.history("collate-fn")) == 1


def test_an_unknown_slug_is_a_curation_error(curation: Curation) -> None:
    """Getting, editing or retiring an answer that does not exist names it."""
    for call in (lambda: curation.get("nope"), lambda: curation.history("nope"),
                 lambda: curation.retire("nope", author="m")):
        with pytest.raises(CurationError, match="nope"):
            call()


def test_the_question_and_its_paraphrase_match(curation: Curation, fake_embedder: FakeEmbedder,
                                               tokenizer: Tokenizer) -> None:
    """Asking with the words of the question, or of a paraphrase, gets the curated answer."""
    add_collate(curation)
    for question in (QUESTION, "Collate_fn 이 뭐야?"):
        match = ask(curation, fake_embedder, tokenizer, question)
        assert match is not None and match.curated.slug == "collate-fn"
        assert match.similarity > 0.99
    assert ask(curation, fake_embedder, tokenizer, "Collate_fn 이 뭐야?").phrase == \
        "collate_fn 이 뭐야"


def test_an_unrelated_question_does_not_match(curation: Curation, fake_embedder: FakeEmbedder,
                                              tokenizer: Tokenizer) -> None:
    """A question far from every phrasing gets no curated answer, though one is nearest."""
    add_collate(curation)
    question = "쿠버네티스 파드 오토스케일링 설정"
    assert ask(curation, fake_embedder, tokenizer, question) is None
    nearest = curation.nearest(fake_embedder.embed_query(question), tokenizer.tokens(question))
    assert nearest is not None and nearest[0].curated.slug == "collate-fn"


def test_holding_every_word_of_a_phrasing_needs_only_the_lower_threshold(
    store: Store, fake_embedder: FakeEmbedder, tokenizer: Tokenizer
) -> None:
    """At the same closeness, a question holding all of a phrasing's content words matches and
    one missing a word does not."""
    phrase, question = "과제 제출", "과제를 제출 기한"
    vector = fake_embedder.embed_query(question)
    similarity = float(fake_embedder.embed_query(phrase) @ vector)
    policy = MatchPolicy(threshold=similarity + 0.05, contained_threshold=similarity - 0.05)
    curation = Curation(store, fake_embedder, tokenizer, policy)  # type: ignore[arg-type]
    curation.add(question=phrase, answer="LMS 과제 탭에 제출해요.", author="mentor")
    holding = curation.match(query(question, vector, tokenizer.tokens(question)))  # 과제, 제출
    assert holding is not None and holding.similarity == pytest.approx(similarity)
    assert curation.match(query(question, vector, ["과제", "기한"])) is None


def test_a_retired_answer_is_kept_but_no_longer_matches(curation: Curation,
                                                        fake_embedder: FakeEmbedder,
                                                        tokenizer: Tokenizer) -> None:
    """Retiring hides the answer from `list` and matching; it stays with its history."""
    add_collate(curation)
    view = curation.retire("collate-fn", author="maintainer")
    assert not view.active and view.version == 2
    assert curation.list() == []
    assert [v.slug for v in curation.list(include_retired=True)] == ["collate-fn"]
    assert ask(curation, fake_embedder, tokenizer, QUESTION) is None
    assert curation.history("collate-fn")[-1].note == "retired"


def test_a_retired_answer_can_be_restored(curation: Curation, fake_embedder: FakeEmbedder,
                                          tokenizer: Tokenizer) -> None:
    """Editing it back to active makes it match again, as a new version."""
    add_collate(curation)
    curation.retire("collate-fn", author="maintainer")
    view = curation.edit("collate-fn", author="maintainer", active=True, note="restored")
    assert view.active and view.version == 3
    assert ask(curation, fake_embedder, tokenizer, QUESTION) is not None


def test_a_new_paraphrase_matches_after_an_edit(curation: Curation, fake_embedder: FakeEmbedder,
                                                tokenizer: Tokenizer) -> None:
    """Editing the paraphrases re-embeds them: the new wording matches, the dropped one not."""
    add_collate(curation)
    curation.edit("collate-fn", author="maintainer", paraphrases=["배치 묶는 함수 알려줘"])
    assert ask(curation, fake_embedder, tokenizer, "배치 묶는 함수 알려줘") is not None
    assert ask(curation, fake_embedder, tokenizer, "collate_fn 이 뭐야") is None


def test_another_curation_over_the_same_store_sees_changes_after_reload(
    curation: Curation, store: Store, fake_embedder: FakeEmbedder, tokenizer: Tokenizer
) -> None:
    """A second process's matcher picks up an answer added elsewhere when it reloads."""
    other = Curation(store, fake_embedder, tokenizer)  # type: ignore[arg-type]
    add_collate(curation)
    assert ask(other, fake_embedder, tokenizer, QUESTION) is None
    other.reload()
    assert ask(other, fake_embedder, tokenizer, QUESTION) is not None


def test_promoting_an_answered_ask_curates_it_and_resolves_the_ask(
    curation: Curation, store: Store
) -> None:
    """A bot answer promoted by a maintainer becomes a curated answer; the ask is resolved."""
    asks = AskLog(store)
    ask_id = asks.record(Answer(question="hook 이 뭐야?", text="hook 은 중간 값을 보는 함수.",
                                kind="passage", confidence=0.8, language="ko"),
                         user="camper", channel=None)
    view = curation.promote(ask_id, author="maintainer")
    assert (view.question, view.answer, view.author) == (
        "hook 이 뭐야?", "hook 은 중간 값을 보는 함수.", "maintainer")
    asked = asks.get(ask_id)
    assert asked is not None and asked.resolved


def test_promoting_an_abstention_needs_an_answer(curation: Curation, store: Store) -> None:
    """An unanswered question can only be curated with the maintainer's own answer."""
    asks = AskLog(store)
    ask_id = asks.record(Answer(question="쿠버네티스?", text="아직 모르겠어요", kind="abstain",
                                confidence=0.1, language="ko"), user="camper", channel=None)
    with pytest.raises(CurationError, match="not answered"):
        curation.promote(ask_id, author="maintainer")
    view = curation.promote(ask_id, author="maintainer", answer="HPA 를 쓰세요.")
    assert view.answer == "HPA 를 쓰세요."
    with pytest.raises(CurationError, match="no ask"):
        curation.promote(ask_id + 100, author="maintainer")


def test_exported_files_import_into_another_store_unchanged(
    curation: Curation, tmp_path: Path, fake_embedder: FakeEmbedder, tokenizer: Tokenizer
) -> None:
    """Export then import gives the same answers; importing them again changes nothing."""
    add_collate(curation, tags=["pytorch"])
    written = curation.export_dir(tmp_path / "curated")
    assert [p.name for p in written] == ["collate-fn.md"]
    other_store = Store(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        other = Curation(other_store, fake_embedder, tokenizer)  # type: ignore[arg-type]
        assert other.import_dir(tmp_path / "curated")["added"] == ["collate-fn"]
        assert other.import_dir(tmp_path / "curated")["unchanged"] == ["collate-fn"]
        mine, theirs = curation.get("collate-fn"), other.get("collate-fn")
        assert (theirs.question, theirs.answer, theirs.paraphrases, theirs.cites,
                theirs.tags) == (mine.question, mine.answer, mine.paraphrases, mine.cites,
                                 mine.tags)
    finally:
        other_store.close()


def test_a_cite_the_importer_would_refuse_is_refused_when_added(curation: Curation) -> None:
    """A cite not of the form `<file>.md · Day K` is refused at once, not at the next import."""
    with pytest.raises(CurationError):
        curation.add(question="질문", answer="답", author="mentor", cites=["Week 2 · Day 8"])


def test_an_answer_added_without_tags_survives_export_and_import(
    curation: Curation, tmp_path: Path
) -> None:
    """What `/curate add` can store, `curate export` writes in a form `curate import` reads."""
    add_collate(curation)
    curation.export_dir(tmp_path / "curated")
    assert curation.import_dir(tmp_path / "curated")["unchanged"] == ["collate-fn"]


def test_negatives_are_stored_exported_and_imported(
    curation: Curation, tmp_path: Path, fake_embedder: FakeEmbedder, tokenizer: Tokenizer
) -> None:
    """Negative phrasings survive add, export and import into another store, and an edit of
    them alone is an update."""
    add_collate(curation, tags=["pytorch"], negatives=["sampler 가 뭐야"])
    assert curation.get("collate-fn").negatives == ("sampler 가 뭐야",)
    curation.export_dir(tmp_path / "curated")
    other_store = Store(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        other = Curation(other_store, fake_embedder, tokenizer)  # type: ignore[arg-type]
        assert other.import_dir(tmp_path / "curated")["added"] == ["collate-fn"]
        assert other.get("collate-fn").negatives == ("sampler 가 뭐야",)
        curation.edit("collate-fn", author="m", negatives=["sampler 가 뭐야", "shuffle 은?"])
        curation.export_dir(tmp_path / "curated")
        assert other.import_dir(tmp_path / "curated")["updated"] == ["collate-fn"]
        assert other.get("collate-fn").negatives == ("sampler 가 뭐야", "shuffle 은?")
    finally:
        other_store.close()


def lenient(curation: Curation) -> Curation:
    """The same curation with thresholds every question passes: only the gates decide."""
    curation.policy = MatchPolicy(threshold=-1.0, contained_threshold=-1.0)
    curation.reload()
    return curation


def test_a_question_nearer_a_negative_phrasing_is_not_matched(
    curation: Curation, fake_embedder: FakeEmbedder, tokenizer: Tokenizer
) -> None:
    """A negative phrasing takes away the questions nearer it than to the answer's own."""
    add_collate(lenient(curation), negatives=["collate_fn 말고 sampler 는 뭐야"])
    assert ask(curation, fake_embedder, tokenizer, "collate_fn 이 뭐야") is not None
    assert ask(curation, fake_embedder, tokenizer, "collate_fn 말고 sampler 는 뭐야") is None


def test_a_negative_phrasing_never_matches_as_a_phrasing(
    curation: Curation, fake_embedder: FakeEmbedder, tokenizer: Tokenizer
) -> None:
    """Negatives are not phrasings: the matched phrase is always one of the answer's own."""
    add_collate(lenient(curation), negatives=["collate_fn 말고 sampler 는 뭐야"])
    match = ask(curation, fake_embedder, tokenizer, "collate_fn 말고 뭐야")
    assert match is None or match.phrase in {QUESTION, "collate_fn 이 뭐야"}


def test_a_question_off_every_key_term_is_not_matched(
    curation: Curation, fake_embedder: FakeEmbedder, tokenizer: Tokenizer
) -> None:
    """However near in meaning, a question must name the answer's subject."""
    add_collate(lenient(curation), tags=["pytorch", "dataloader"])
    assert "collate_fn" in curation.key_terms("collate-fn")
    assert ask(curation, fake_embedder, tokenizer, "sampler 는 뭐야") is None
    assert ask(curation, fake_embedder, tokenizer, "collate_fn 써야 해?") is not None


def test_a_word_another_answer_also_uses_is_not_a_key_term(curation: Curation) -> None:
    """Key terms tell answers apart: a word two answers share marks neither."""
    add_collate(curation, tags=["pytorch", "dataloader"])
    curation.add(question="DataLoader 의 sampler 는 뭐야?", answer="순서를 정해요.",
                 author="mentor", slug="sampler", tags=["dataloader"])
    assert "dataloader" not in curation.key_terms("collate-fn")
    assert "sampler" in curation.key_terms("sampler")
    assert "collate_fn" in curation.key_terms("collate-fn")


def test_a_glossary_word_names_the_subject(
    curation: Curation, fake_embedder: FakeEmbedder, tokenizer: Tokenizer
) -> None:
    """An English question names a Korean key term through the glossary."""
    lenient(curation).add(question="역전파 는 어떻게 계산해?", answer="연쇄 법칙으로요.",
                          author="mentor", slug="backprop")
    assert ask(curation, fake_embedder, tokenizer, "explain backpropagation") is not None
    assert ask(curation, fake_embedder, tokenizer, "explain dropout") is None
