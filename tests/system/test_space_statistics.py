"""No lexical side channel between spaces: a word only space a's notes hold changes nothing in
space b's ranking scores, known words or abstentions (real core, both databases)."""

from __future__ import annotations

from knowledge.answering.answer import Answer
from knowledge.core import Sunbae
from knowledge.views import NoteFile
from tests.conftest import SAMPLE

# Space a's note: words space b never wrote (kubectl, 쿠버네티스, HPA) and words it did
# (DataLoader, collate_fn, 배치, 학습, 스터디), so both new words and shifted document
# frequencies.
A_NOTE = (
    "# Week 1\n\n## Day 1 (11/01)\n"
    "쿠버네티스 HPA는 파드 오토스케일링을 CPU 사용률 목표로 설정한다. "
    "kubectl autoscale deployment 명령으로 최소와 최대 파드 수를 정했다.\n\n"
    "## Day 2 (11/02)\n"
    "DataLoader의 collate_fn으로 배치를 만들고 kubectl로 배치 작업을 띄웠다. "
    "DataLoader DataLoader collate_fn collate_fn 배치 배치 배치.\n\n"
    "## Day 3 (11/03)\n"
    "확률론 스터디에서 학습 템포를 정했다. 스터디 스터디 학습 학습 템포.\n"
)
QUESTIONS = [
    "DataLoader의 collate_fn은 무엇을 하나요?",  # b's notes answer it
    "kubectl autoscale로 파드 수를 어떻게 정해?",  # only a's notes hold its terms
    "학습 템포는 어떻게 조절했어?",  # b's notes answer these two with extracts
    "확률론 스터디는 어떻게 진행했어?",
    "How does the collate function build a batch?",
]


def b_journal() -> NoteFile:
    """The sample journal, uploaded by a camper of space b."""
    text = (SAMPLE / "week2.md").read_text(encoding="utf-8")
    return NoteFile(key="week2-b.md", display="week2-b.md", text=text, author="camper-b")


def reading(core: Sunbae, space: str) -> list[tuple[object, ...]]:
    """Everything space `space`'s questions get: answers, scores, ranks, known words."""
    seen = (space, "shared")
    out: list[tuple[object, ...]] = []
    for question in QUESTIONS:
        answer: Answer = core.ask(question, space=space, record=False)
        index = core._index  # the lexical reads under the answer, checked directly too
        query = index.query(question, core._embedder.embed_query(question), language="ko",
                            limit=3, spaces=seen)
        ranking = index.search(query, spaces=seen)
        out.append((
            answer.kind, answer.text, answer.confidence, answer.scores,
            [(c.section_id, c.label, c.quote) for c in answer.citations],
            answer.ranked_section_ids,
            query.tokens, dict(query.idf),
            [(h.section_id, h.score, h.lexical, h.lexical_rank, h.passage_ids)
             for h in ranking.sections],
            [index.knows(t, typos=True, spaces=seen) for t in ("kubectl", "kubernetes", "hpa")],
        ))
    return out


def test_another_spaces_note_changes_nothing_here(core: Sunbae) -> None:
    """b's answers, scores, ranking and known words are equal with and without a's note."""
    core.load_shipped_curated()
    core.ingest_notes([b_journal()], space="b")
    before = reading(core, "b")
    core.ingest_notes([NoteFile(key="a.md", display="a.md", text=A_NOTE, author="camper-a")],
                      space="a")
    assert core.ask(QUESTIONS[1], space="a", record=False).kind == "passage"
    assert reading(core, "b") == before
    assert core.remove_source("a.md", space="a")
    assert reading(core, "b") == before


def test_a_question_of_words_only_another_space_knows_abstains(core: Sunbae) -> None:
    """The question on a's subject abstains in b, whatever a holds."""
    core.ingest_notes([b_journal()], space="b")
    core.ingest_notes([NoteFile(key="a.md", display="a.md", text=A_NOTE, author="camper-a")],
                      space="a")
    assert core.ask(QUESTIONS[1], space="b", record=False).kind == "abstain"
    assert not core._index.knows("kubectl", typos=True, spaces=("b", "shared"))
    assert core._index.knows("kubectl", typos=True, spaces=("a", "shared"))
