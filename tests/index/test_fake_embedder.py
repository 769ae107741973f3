"""The tests' fake embedder keeps the promises the mechanics tests rely on."""

from __future__ import annotations

import numpy as np
import pytest

from index.embedder import vector_to_bytes, vectors_from_bytes
from tests.fakes import EmbedderFailure, FailingEmbedder, FakeEmbedder


def test_vectors_are_unit_float32_of_the_stated_dimension() -> None:
    """Every vector has `dim` float32 components and length 1, empty text included."""
    fake = FakeEmbedder()
    vectors = fake.embed_passages(["행렬 분해를 공부했다", "", "?!"])
    assert vectors.shape == (3, fake.dim) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-6)


def test_the_same_text_gets_the_same_vector_in_every_instance() -> None:
    """Vectors do not depend on the process or the instance (they are stored and compared)."""
    text = "DataLoader collate_fn 역할"
    assert np.array_equal(FakeEmbedder().embed_query(text), FakeEmbedder().embed_query(text))


def test_texts_sharing_words_are_nearer_than_unrelated_ones() -> None:
    """Cosine grows with the words two texts share."""
    fake = FakeEmbedder()
    query = fake.embed_query("collate_fn 은 batch 를 만든다")
    near = fake.embed_passages(["collate_fn 은 batch 를 묶는다"])[0]
    far = fake.embed_passages(["주말 에 자전거 를 탔다"])[0]
    assert float(query @ near) > 0.6 > float(query @ far)


def test_question_and_passage_of_the_same_words_match_exactly() -> None:
    """Prompts are not embedded: a question equals the passage with its words."""
    fake = FakeEmbedder()
    question = fake.embed_query("Hook 은  언제 쓰나")
    passage = fake.embed_passages(["hook 은 언제 쓰나"])[0]
    assert float(question @ passage) > 0.999


def test_empty_batches_give_empty_matrices() -> None:
    """No texts, no rows, still `dim` columns."""
    fake = FakeEmbedder(dim=16)
    assert fake.embed_queries([]).shape == (0, 16)
    assert fake.embed_passages([]).shape == (0, 16)


def test_vectors_round_trip_through_the_stored_blob_format() -> None:
    """What the store keeps (float32 bytes) reads back as the same matrix."""
    fake = FakeEmbedder()
    vectors = fake.embed_passages(["a b", "c d"])
    blobs = [vector_to_bytes(v) for v in vectors]
    assert np.array_equal(vectors_from_bytes(blobs, fake.dim), vectors)


def test_embedded_passages_are_recorded() -> None:
    """The fake remembers which passages it embedded, so a test can see what was re-embedded."""
    fake = FakeEmbedder()
    fake.embed_passages(["one", "two"])
    fake.embed_queries(["a question"])
    assert fake.embedded_passages == ["one", "two"]


def test_failing_embedder_raises_on_the_chosen_call_only() -> None:
    """The second passage batch fails; the first and third work."""
    fake = FailingEmbedder(fail_on=2)
    fake.embed_passages(["first"])
    with pytest.raises(EmbedderFailure):
        fake.embed_passages(["second"])
    assert fake.embed_passages(["third"]).shape == (1, fake.dim)
