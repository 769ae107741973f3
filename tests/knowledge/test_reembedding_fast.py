"""Stored vectors and their embedder on fake embedders: another family is embedded again at open,
another variant is kept, `re_embed_outdated` converts every row, batch by batch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select, update

from index.tokens import Tokenizer
from index.vectors import VectorIndex
from knowledge.core import Sunbae
from knowledge.indexing import re_embed_outdated
from knowledge.notes.ingest import NoteFile
from knowledge.reembedding import VectorPolicy, passages_to_re_embed
from knowledge.settings import Settings
from knowledge.store.database import Store
from knowledge.store.models import CuratedPhrase, Passage
from tests.fakes import EmbedderFailure, FailingEmbedder, FakeEmbedder, plain_words

TORCH = "fam:0123456789ab/torch"
INT8 = "fam:0123456789ab/onnx-int8"
OTHER = "other:ba9876543210/onnx-int8"
TOPICS = ["옵티마이저 AdamW", "BatchNorm momentum", "도커 컴포즈", "collate_fn 배치",
          "contiguous 텐서", "learning rate 스케줄러", "gradient clipping", "Dataset 클래스"]


def journal() -> str:
    """A week of eight days, one topic a day (eight passages at least)."""
    days = [f"Day {i + 1} (03/{i + 2:02d})\n---\n오늘은 {topic} 공부를 했다.\n"
            for i, topic in enumerate(TOPICS)]
    return "Week 1 (03/02 ~ 03/13)\n===\n\n" + "\n".join(days)


def reversed_words(text: str) -> list[str]:
    """Another "model": the same words spelled backwards land in other buckets."""
    return [word[::-1] for word in plain_words(text)]


def open_core(settings: Settings, embedder: FakeEmbedder, tokenizer: Tokenizer) -> Sunbae:
    return Sunbae.open(settings, embedder=embedder, tokenizer=tokenizer)  # type: ignore[arg-type]


def rows(store: Store) -> list[tuple[int, str | None, bytes]]:
    """(id, embedder, vector) of every stored passage, by id."""
    with store.session() as session:
        return [tuple(r) for r in session.execute(  # type: ignore[misc]
            select(Passage.id, Passage.embedder, Passage.vector).order_by(Passage.id))]


def phrase_embedders(store: Store) -> set[str | None]:
    with store.session() as session:
        return set(session.scalars(select(CuratedPhrase.embedder)))


@pytest.fixture
def stored(fast_settings: Settings, tokenizer: Tokenizer) -> Iterator[Settings]:
    """A store ingested and curated by the `torch` variant of the family `fam`."""
    core = open_core(fast_settings, FakeEmbedder(name=TORCH), tokenizer)
    core.ingest_notes([NoteFile(key="week1.md", display="week1.md", text=journal())])
    core.add_curated(question="도커 컴포즈 어떻게 써?", answer="compose 파일로 띄운다.",
                     author="mentor")
    core.close()
    yield fast_settings


def test_ingest_and_curation_record_the_embedder(stored: Settings) -> None:
    """Every stored vector names the embedder that made it."""
    store = Store(stored.resolved_database_url)
    try:
        assert {name for _, name, _ in rows(store)} == {TORCH}
        assert phrase_embedders(store) == {TORCH}
    finally:
        store.close()


def test_another_variant_of_the_family_is_kept(stored: Settings, tokenizer: Tokenizer) -> None:
    """int8 opening torch's store embeds nothing: same weights, comparable vectors."""
    before = rows(Store(stored.resolved_database_url))
    embedder = FakeEmbedder(name=INT8)
    core = open_core(stored, embedder, tokenizer)
    try:
        assert embedder.embedded_passages == []
        assert rows(core._store) == before
        assert phrase_embedders(core._store) == {TORCH}
        # Retrieval is what is checked: the answerability model is fitted on e5's cosines, and
        # the fake embedder's are lower, so abstention is turned off here.
        core.settings.answer_threshold = 0.0
        assert core.ask("BatchNorm momentum", record=False).citations[0].label.startswith(
            "Week 1 · Day 2")
    finally:
        core.close()


def test_another_family_is_re_embedded_before_the_index_loads(
    stored: Settings, tokenizer: Tokenizer
) -> None:
    """Another model's store is embedded again at open, curated phrasings too, so its
    questions only ever meet its own vectors."""
    embedder = FakeEmbedder(name=OTHER, words=reversed_words)
    core = open_core(stored, embedder, tokenizer)
    try:
        after = rows(core._store)
        assert {name for _, name, _ in after} == {OTHER}
        # embed_passages also gets each passage's sentences (no context line): count the
        # passages, which carry their day's label first.
        embedded = [t for t in embedder.embedded_passages if t.startswith("Week ")]
        assert len(embedded) == len(after)
        sentences = [t for t in embedder.embedded_passages if not t.startswith("Week ")]
        assert sentences and all("\n" not in t for t in sentences)
        for passage in core.stored_passages():  # the vectors are the new model's
            expected = embedder.embed_passages([passage.embedded_text])[0]
            assert np.allclose(passage.vector, expected)
        assert phrase_embedders(core._store) == {OTHER}
        assert core.ask("도커 컴포즈 어떻게 써?", record=False).kind == "curated"
        assert core.ask("gradient clipping", record=False).citations[0].label.startswith(
            "Week 1 · Day 7")
    finally:
        core.close()


def test_unrecorded_vectors_belong_to_the_default_model_only(
    stored: Settings, tokenizer: Tokenizer, tmp_path: Path
) -> None:
    """Rows stored before the embedder was recorded count as the default model's: kept with
    SUNBAE_MODEL=default, embedded again with any other model."""
    store = Store(stored.resolved_database_url)
    with store.session() as session:
        session.execute(update(Passage).values(embedder=None))
    store.close()
    kept = FakeEmbedder(name=INT8)
    open_core(stored, kept, tokenizer).close()
    assert kept.embedded_passages == []
    custom = stored.model_copy(update={"model": str(tmp_path)})
    redone = FakeEmbedder(name=INT8)
    core = open_core(custom, redone, tokenizer)
    try:
        assert {name for _, name, _ in rows(core._store)} == {INT8}
        assert redone.embedded_passages
    finally:
        core.close()


def test_re_embed_outdated_converts_every_row_and_saves_the_index(
    stored: Settings, tokenizer: Tokenizer
) -> None:
    """`reindex --re-embed`: every passage and phrasing of another variant is embedded again,
    and the saved index is the new embedder's, holding every id."""
    embedder = FakeEmbedder(name=INT8)
    store = Store(stored.resolved_database_url)
    try:
        passages, phrases = re_embed_outdated(store, embedder, tokenizer, stored)
        after = rows(store)
        assert (passages, phrases) == (len(after), 1)
        assert {name for _, name, _ in after} == {INT8} and phrase_embedders(store) == {INT8}
        ids = np.asarray([pid for pid, _, _ in after], dtype=np.int64)
        saved = VectorIndex.load(stored.resolved_index_dir, model=INT8, dim=embedder.dim,
                                 expected_ids=ids)
        assert saved is not None
        assert re_embed_outdated(store, embedder, tokenizer, stored) == (0, 0)
    finally:
        store.close()


def test_a_re_embed_failing_midway_keeps_its_batches_and_distrusts_the_index(
    stored: Settings, tokenizer: Tokenizer
) -> None:
    """A run that dies after its first batch keeps that batch committed; the saved index is
    not trusted (the next open rebuilds it) and a second run finishes the rest."""
    failing = FailingEmbedder(fail_on=2, batch_size=1)  # batches of 4 passages
    failing.name = INT8
    store = Store(stored.resolved_database_url)
    try:
        with pytest.raises(EmbedderFailure):
            re_embed_outdated(store, failing, tokenizer, stored)
        names = [name for _, name, _ in rows(store)]
        assert names.count(INT8) == 4 and names.count(TORCH) == len(names) - 4
        ids = np.asarray([pid for pid, _, _ in rows(store)], dtype=np.int64)
        assert VectorIndex.load(stored.resolved_index_dir, model=INT8, dim=failing.dim,
                                expected_ids=ids) is None
        policy = VectorPolicy(INT8, "fam:0123456789ab", legacy_is_current=True)
        assert len(passages_to_re_embed(store, policy.outdated)) == len(names) - 4
        assert passages_to_re_embed(store, policy.foreign) == []
        re_embed_outdated(store, FakeEmbedder(name=INT8), tokenizer, stored)
        assert {name for _, name, _ in rows(store)} == {INT8}
    finally:
        store.close()
