"""Filler (long passages with no letters, or one short pattern repeated) is never indexed: a
hostile 300 KB note is stored with a few passages instead of hundreds to embed."""

from __future__ import annotations

import pytest

from knowledge.bench.hostile import HOSTILE
from knowledge.notes.chunking import chunk_text, is_filler
from knowledge.notes.ingest import Ingestor
from knowledge.notes.parsing import parse_document
from knowledge.store.database import Store
from tests.conftest import SAMPLE
from tests.knowledge.conftest import FollowingIndex, counts, note

# Real passages: a code block, a table, a formula, a list of tuples (all kept).
REAL = [
    "```python\nfor epoch in range(10):\n    loss = model(x)\n    loss.backward()\n"
    "    optimizer.step()\n    print(epoch, loss.item())\n```\n" * 2,
    "| epoch | loss | acc |\n|---|---|---|\n| 1 | 0.91 | 0.62 |\n| 2 | 0.55 | 0.78 |\n"
    "| 3 | 0.41 | 0.83 |\n| 4 | 0.36 | 0.85 |\n| 5 | 0.33 | 0.86 |\n| 6 | 0.31 | 0.87 |\n",
    "# [(1, 2, 3, 4, 5), (1, 2, 3, 4, -5), (1, 2, 3, -4, 5), (1, 2, -3, 4, 5), "
    "(1, -2, 3, 4, 5), (-1, 2, 3, 4, 5), (1, 2, 3, -4, -5), (1, 2, -3, 4, -5)]",
    "---",  # a short rule between paragraphs stays what it was
    "오늘은 " * 10 + "배치 정규화를 실험했다. 학습률을 바꾸며 손실이 어떻게 변하는지 보았다.",
]


@pytest.mark.parametrize("text", REAL)
def test_real_passages_are_not_filler(text: str) -> None:
    """Code, tables, formulas, short rules and ordinary prose are indexed as before."""
    assert not is_filler(text)


@pytest.mark.parametrize("text", [
    "." * 400, "](#" * 150, "<summary>" * 50, "Day 1 " * 80, " #" * 200, "ㅋ" * 300,
])
def test_long_runs_of_one_pattern_are_filler(text: str) -> None:
    """Punctuation runs and one short pattern repeated are filler."""
    assert is_filler(text)


def test_no_passage_of_the_sample_journal_is_filler() -> None:
    """The shipped journal is chunked and indexed exactly as before."""
    for path in sorted(SAMPLE.glob("*.md")):
        for section in parse_document(path.read_text(encoding="utf-8"), path.name):
            assert not any(is_filler(c.text) for c in chunk_text(section.text, 400))


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_note_is_ingested_with_few_passages(
    name: str, ingestor: Ingestor, store: Store, following_index: FollowingIndex,
) -> None:
    """Each 300 KB hostile note is stored (its sections kept), its filler left unindexed."""
    report = ingestor.ingest([note("hostile.md", HOSTILE[name])])
    assert report.added == ["hostile.md"]
    sources, sections, passages = counts(store)
    assert sources == 1 and sections >= 1
    assert passages <= 3, passages
    assert len(following_index.ids()) == passages
