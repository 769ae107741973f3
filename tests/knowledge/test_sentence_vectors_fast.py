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


def test_an_edited_note_embeds_only_its_new_sentences(fast_core: Sunbae,
                                                      fake_embedder: FakeEmbedder) -> None:
    """Re-ingesting an edited note reuses its unchanged sentences' stored vectors."""
    fast_core.ingest_notes([NOTE])
    added = "옵티마이저 실험은 내일 다시 한다."
    edited = NoteFile(key=NOTE.key, display=NOTE.display,
                      text=NOTE.text.replace("분리한다.", f"분리한다. {added}"))
    fake_embedder.embedded_passages.clear()
    report = fast_core.ingest_notes([edited])
    assert report.changed == [NOTE.display]
    sentences_embedded = [t for t in fake_embedder.embedded_passages
                          if t in {s for text, _, _ in _rows(fast_core)
                                   for s in passage_sentences(text)}]
    assert sentences_embedded == [added]
    for text, lines, blob in _rows(fast_core):  # every passage still has all its vectors
        matrix = sentence_matrix(blob, fake_embedder.dim)
        sentences = passage_sentences(text)
        assert len(matrix) == len(sentences) == len(lines.split("\n"))
        assert np.allclose(matrix, fake_embedder.embed_passages(sentences), atol=1e-6)


def test_known_sentences_are_not_embedded_and_order_is_kept(
        fake_embedder: FakeEmbedder) -> None:
    from knowledge.notes.sentence_vectors import embed_sentence_vectors

    texts = ["첫 문장이다. 둘째 문장이다.", "셋째 문장이다. 첫 문장이다."]
    known = {"첫 문장이다.": fake_embedder.vector("첫 문장이다.").tobytes()}
    blobs = embed_sentence_vectors(fake_embedder, texts, known)
    assert "첫 문장이다." not in fake_embedder.embedded_passages
    for text, blob in zip(texts, blobs, strict=True):
        sentences = passage_sentences(text)
        assert np.allclose(sentence_matrix(blob, fake_embedder.dim),
                           np.stack([fake_embedder.vector(s) for s in sentences]), atol=1e-6)
