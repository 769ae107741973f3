"""Curated answers cite the shipped days they were written from (by identity) and never a
camper's note; the days of this store's own notes that discuss the question come apart, as
related days labelled as such."""

from __future__ import annotations

import json
from pathlib import Path

from bot.cli.formatting import render_answer
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


def test_a_camper_note_is_never_cited_by_a_curated_answer(core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """With only a camper's `notweek2.md` (`## Day 8 (11/15)`) in the store, the collate_fn
    answer cites nothing; the camper's day is only a related day, labelled as their notes."""
    core.ingest_paths([camper_note(tmp_path)])
    core.load_shipped_curated()
    answer = core.ask(QUESTION)
    assert answer.curated_slug == "collate-fn"
    assert answer.citations == []
    assert answer.related, "the camper's own day that discusses collate_fn is shown apart"
    assert all(c.source.endswith("notweek2.md") for c in answer.related)
    assert all(c.label.endswith(DISCUSSED["ko"]) for c in answer.related)
    shown = answer.to_json()
    assert shown["citations"] == [] and len(shown["related"]) == len(answer.related)


def test_the_sample_days_are_the_citations_next_to_a_camper_note(
    sample_core, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """With the shipped sample and the camper's note, the citations are the sample's days
    only; the camper's day is a related day, shown after them and labelled."""
    sample_core.ingest_paths([camper_note(tmp_path)])
    answer = sample_core.ask(QUESTION)
    assert answer.curated_slug == "collate-fn"
    assert [c.label for c in answer.citations] == ["Week 2 · Day 8 (11/15)",
                                                   "Week 2 · Day 7 (11/14)"]
    assert all(c.source.endswith("sample/week2.md") for c in answer.citations)
    assert not any("notweek2" in json.dumps(c) for c in answer.to_json()["citations"])
    camper = [c for c in answer.related if c.source.endswith("notweek2.md")]
    assert camper and all(c.label.endswith(DISCUSSED["ko"]) for c in camper)
    assert answer.shown_days()[: len(answer.citations)] == answer.citations
    text = render_answer(answer)
    assert text.index("Week 2 · Day 8 (11/15):") < text.index(DISCUSSED["ko"])


def test_an_english_question_gets_the_english_label(core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The label follows the question's language, like the other bilingual strings."""
    core.ingest_paths([camper_note(tmp_path)])
    core.load_shipped_curated()
    answer = core.ask("what does collate_fn do")
    assert answer.curated_slug == "collate-fn"
    assert answer.citations == [] and answer.related
    assert all(c.label.endswith(DISCUSSED["en"]) for c in answer.related)
