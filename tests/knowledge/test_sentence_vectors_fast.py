"""Sentence vectors: stored with each passage at ingest, filled for older rows at open."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sqlalchemy import select, update

from index.tokens import Tokenizer
from knowledge.core import Sunbae
from knowledge.notes.ingest import NoteFile
from knowledge.notes.sentence_vectors import passage_sentences, sentence_matrix
from knowledge.settings import Settings
from knowledge.store.models import Passage
from tests.fakes import FakeEmbedder

NOTE = NoteFile(key="week1.md", display="week1.md", text=(
    "# Week 1\n\n## Day 1\n\n오늘은 AdamW 옵티마이저를 공부했다. weight decay를 분리한다.\n"
    "learning rate는 0.001로 두었다.\n\n## Day 2\n\nBatchNorm momentum을 배웠다. 추론 때는 "
    "running mean을 쓴다.\n"
))


def _rows(core: Sunbae) -> list[tuple[str, str, bytes | None]]:
    with core._store.session() as session:
        return [tuple(r) for r in session.execute(  # type: ignore[misc]
            select(Passage.text, Passage.sentence_tokens, Passage.sentence_vectors)
        )]


def test_every_sentence_of_a_passage_gets_its_vector(fast_core: Sunbae,
                                                     fake_embedder: FakeEmbedder) -> None:
    """One vector per distinct sentence, in the order of the sentence tokens, no context."""
    fast_core.ingest_notes([NOTE])
    rows = _rows(fast_core)
    assert rows
    for text, lines, blob in rows:
        matrix = sentence_matrix(blob, fake_embedder.dim)
        sentences = passage_sentences(text)
        assert len(matrix) == len(sentences) == len(lines.split("\n"))
        expected = fake_embedder.embed_passages(sentences)
        assert np.allclose(matrix, expected)


def test_rows_stored_without_sentence_vectors_get_them_at_open(
    fast_settings: Settings, fake_embedder: FakeEmbedder, tokenizer: Tokenizer
) -> None:
    """A store from before sentence vectors were kept is completed when it opens."""
    core = Sunbae.open(fast_settings, embedder=fake_embedder,  # type: ignore[arg-type]
                       tokenizer=tokenizer)
    core.ingest_notes([NOTE])
    with core._store.session() as session:
        session.execute(update(Passage).values(sentence_vectors=None))
    core.close()
    core = Sunbae.open(fast_settings, embedder=fake_embedder,  # type: ignore[arg-type]
                       tokenizer=tokenizer)
    try:
        assert all(blob is not None and len(sentence_matrix(blob, fake_embedder.dim))
                   for _, _, blob in _rows(core))
    finally:
        core.close()


def test_the_best_sentence_cosine_is_recorded_with_the_answer(fast_core: Sunbae) -> None:
    """`sent_top` is the best question-sentence cosine of the top day (at most 1)."""
    fast_core.ingest_notes([NOTE])
    answer = fast_core.ask("AdamW weight decay 분리", record=False)
    assert 0.0 < answer.scores["sent_top"] <= 1.0 + 1e-6


def test_no_sentence_vectors_fall_back_to_the_passage_cosine(tmp_path: Path) -> None:
    """An empty blob reads as no rows, never as a wrong shape."""
    assert sentence_matrix(b"", 8).shape == (0, 8)
    assert sentence_matrix(None, 8).shape == (0, 8)
