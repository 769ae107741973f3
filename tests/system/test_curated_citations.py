"""Curated answers cite the shipped days they were written from (by identity), then the days
of this store's own notes that discuss the question, labelled as such."""

from __future__ import annotations

from pathlib import Path

from knowledge.answering.answerer import DISCUSSED

QUESTION = "DataLoader에서 collate_fn은 무슨 역할을 해?"
CAMPER_NOTE = """# 내 공부 기록

## Day 8 (11/15)
오늘은 collate_fn 을 직접 짜서 길이가 다른 문장을 padding 해서 batch 로 묶었다.
DataLoader 에 collate_fn 을 넘기면 샘플 리스트를 받아서 하나의 배치로 만든다.
"""


def camper_note(tmp_path: Path) -> Path:
    """A camper's file whose name ends in `week2.md` and which has a `Day 8` heading."""
    folder = tmp_path / "camper"
    folder.mkdir()
    path = folder / "notweek2.md"
    path.write_text(CAMPER_NOTE, encoding="utf-8")
    return path


def test_a_camper_note_is_never_a_stored_citation(core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """With only a camper's `notweek2.md` (`## Day 8 (11/15)`) in the store, the collate_fn
    answer has no stored citation: the note is cited only as discussed in the camper's notes."""
    core.ingest_paths([camper_note(tmp_path)])
    core.load_shipped_curated()
    answer = core.ask(QUESTION)
    assert answer.curated_slug == "collate-fn"
    assert answer.citations, "the camper's own day that discusses collate_fn is cited"
    for citation in answer.citations:
        assert citation.label.endswith(DISCUSSED["ko"])


def test_the_sample_day_is_the_stored_citation_next_to_a_camper_note(
    sample_core, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """With the shipped sample and the camper's note, the stored citations are the sample's
    days (first, unlabelled) and the camper's day comes after them, labelled."""
    sample_core.ingest_paths([camper_note(tmp_path)])
    answer = sample_core.ask(QUESTION)
    assert answer.curated_slug == "collate-fn"
    stored = [c for c in answer.citations if not c.label.endswith(DISCUSSED["ko"])]
    assert [c.label for c in stored] == ["Week 2 · Day 8 (11/15)", "Week 2 · Day 7 (11/14)"]
    assert all(c.source.endswith("sample/week2.md") for c in stored)
    assert answer.citations[: len(stored)] == stored
    camper = [c for c in answer.citations if c.source.endswith("notweek2.md")]
    assert camper and all(c.label.endswith(DISCUSSED["ko"]) for c in camper)


def test_an_english_question_gets_the_english_label(core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The label follows the question's language, like the other bilingual strings."""
    core.ingest_paths([camper_note(tmp_path)])
    core.load_shipped_curated()
    answer = core.ask("what does collate_fn do")
    assert answer.curated_slug == "collate-fn"
    assert answer.citations
    assert all(c.label.endswith(DISCUSSED["en"]) for c in answer.citations)
