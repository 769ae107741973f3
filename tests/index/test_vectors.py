"""The FAISS index: exact while small, IVF past its limit, removal and persistence on both."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from index.vectors import (
    INDEX_FILE,
    MANIFEST_FILE,
    Manifest,
    VectorIndex,
    ids_checksum,
    ivf_lists,
    ivf_probes,
)


def _unit(rows: int, dim: int = 32, seed: int = 3) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_index_switches_to_ivf_past_its_limit_and_keeps_every_id() -> None:
    """Crossing the limit retrains as IVF without losing or inventing an id."""
    vectors = _unit(4000)
    index = VectorIndex(32, exact_limit=1000)
    index.add(np.arange(1000), vectors[:1000])
    assert index.kind == "flat"
    index.add(np.arange(1000, 4000), vectors[1000:])
    assert index.kind.startswith("ivf")
    assert sorted(index.ids().tolist()) == list(range(4000))


def _clustered(rows: int, dim: int = 32, topics: int = 40, seed: int = 5) -> np.ndarray:
    """Vectors around topic centres, as sentence embeddings are (uniform noise is not)."""
    rng = np.random.default_rng(seed)
    centres = _unit(topics, dim, seed + 1)
    vectors = centres[rng.integers(0, topics, rows)] + 0.35 * rng.normal(size=(rows, dim))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def test_ivf_probing_every_list_is_exact() -> None:
    """IVF keeps exact distances inside its lists: probing them all gives brute force's top 10
    (how few probes still reach recall@10 ≥ 0.95 is measured by `make bench` on real vectors)."""
    both = _clustered(6050)
    vectors, queries = both[:6000], both[6000:]
    index = VectorIndex(32, exact_limit=1000)
    index.add(np.arange(6000), vectors)
    ivf = index._ivf()
    assert ivf is not None
    ivf.nprobe = ivf.nlist
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    for query, expected in zip(queries, exact, strict=True):
        assert [i for i, _ in index.search(query, 10)] == expected.tolist()


def test_ivf_removes_by_id_and_round_trips_through_disk(tmp_path: Path) -> None:
    """Removed ids never come back, and a saved IVF index loads as IVF with the same answers."""
    vectors = _unit(3000)
    index = VectorIndex(32, exact_limit=1000)
    index.add(np.arange(3000), vectors)
    index.remove(np.array([5, 6, 7]))
    assert len(index) == 2997
    assert all(i not in {5, 6, 7} for i, _ in index.search(vectors[5], 20))
    index.save(tmp_path, "model-a")
    assert json.loads((tmp_path / MANIFEST_FILE).read_text())["kind"] == index.kind
    loaded = VectorIndex.load(tmp_path, model="model-a", dim=32, expected_ids=index.ids())
    assert loaded is not None and loaded.kind == index.kind
    assert loaded.search(vectors[100], 5) == index.search(vectors[100], 5)


def _saved_flat(folder: Path) -> VectorIndex:
    """A small exact index of ids 10..19, saved under model `model-a`."""
    index = VectorIndex(32)
    index.add(np.arange(10, 20), _unit(10))
    index.save(folder, "model-a")
    return index


def test_flat_index_searches_removes_and_ignores_unknown_ids() -> None:
    """A vector finds itself first; removed and unknown ids leave the rest intact."""
    vectors = _unit(10)
    index = VectorIndex(32)
    index.add(np.arange(10, 20), vectors)
    assert index.search(vectors[3], 1)[0][0] == 13
    index.remove(np.array([13, 999]))
    assert len(index) == 9 and 13 not in index.ids().tolist()
    assert VectorIndex(32).search(vectors[0], 5) == []


def test_saved_flat_index_loads_with_the_same_answers(tmp_path: Path) -> None:
    """A saved index whose manifest matches the database loads and answers the same."""
    index = _saved_flat(tmp_path)
    loaded = VectorIndex.load(tmp_path, model="model-a", dim=32, expected_ids=np.arange(10, 20))
    assert loaded is not None and loaded.kind == "flat"
    query = _unit(1, seed=8)[0]
    assert loaded.search(query, 5) == index.search(query, 5)


def _truncate(folder: Path) -> None:
    path = folder / INDEX_FILE
    path.write_bytes(path.read_bytes()[:100])


def _drop_index_file(folder: Path) -> None:
    (folder / INDEX_FILE).unlink()


def _garble_manifest(folder: Path) -> None:
    (folder / MANIFEST_FILE).write_text("{not json")


@pytest.mark.parametrize(
    ("damage", "load_as", "why"),
    [
        (None, {"model": "model-b"}, "built with model model-a"),
        (None, {"dim": 16}, "dimension 32"),
        (None, {"expected_ids": np.arange(10, 21)}, "database has 11"),
        (None, {"expected_ids": np.arange(11, 21)}, "(or other ids)"),
        (_truncate, {}, "corrupt or truncated"),
        (_drop_index_file, {}, "missing"),
        (_garble_manifest, {}, "manifest unreadable"),
    ],
)
def test_an_index_that_disagrees_with_the_database_is_not_trusted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage, load_as: dict, why: str  # type: ignore[no-untyped-def]
) -> None:
    """Another model, dimension or set of ids, or a damaged file: load gives None and says why."""
    _saved_flat(tmp_path)
    if damage is not None:
        damage(tmp_path)
    arguments = {"model": "model-a", "dim": 32, "expected_ids": np.arange(10, 20)} | load_as
    with caplog.at_level(logging.WARNING, logger="index.vectors"):
        assert VectorIndex.load(tmp_path, **arguments) is None
    assert why in caplog.text


def test_ivf_centroids_are_unit_vectors_and_probes_follow_the_scan_budget() -> None:
    """Spherical k-means (the lists part the sphere by inner product); the lists probed scan
    SCAN_BUDGET vectors' codes, at least 1/20 of the lists, and follow the count as it
    grows."""
    index = VectorIndex(32, exact_limit=1000)
    index.add(np.arange(3000), _unit(3000))
    ivf = index._ivf()
    assert ivf is not None
    centroids = ivf.quantizer.reconstruct_n(0, ivf.nlist)
    assert np.allclose(np.linalg.norm(centroids, axis=1), 1.0, atol=1e-5)
    assert ivf.nprobe == ivf_probes(ivf.nlist, 3000) == ivf.nlist  # 3,000 < SCAN_BUDGET
    assert ivf_lists(1_000_000) == 8000 and ivf_probes(8000, 1_000_000) == 400
    assert ivf_probes(2529, 100_000) == 1265
    assert ivf_probes(8000, 100_000_000) == 400  # 1/20 of the lists
    index.add(np.arange(3000, 3000 + 200_000), _unit(200_000, seed=3))
    assert ivf.nprobe == ivf_probes(ivf.nlist, 203_000) < ivf.nlist


def test_ann_recall_at_10_against_exact_on_clustered_vectors() -> None:
    """The coded IVF with its exact re-rank finds most of brute force's top 10 at the default
    probes (the lists probed limit it, not the codes: probing all of them finds all 10), and
    the scores it gives are the exact cosines."""
    both = _clustered(8050, seed=11)
    vectors, queries = both[:8000], both[8000:]
    index = VectorIndex(32, exact_limit=1000)
    index.add(np.arange(8000) * 3 + 1, vectors)  # ids unlike row numbers, as passages' are
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :10] * 3 + 1
    found = [index.search(query, 10) for query in queries]
    recall = np.mean([len({i for i, _ in f} & set(e.tolist())) / 10
                      for f, e in zip(found, exact, strict=True)])
    assert recall >= 0.9
    for query, hits in zip(queries, found, strict=True):
        cosines = [float(vectors[(i - 1) // 3] @ query) for i, _ in hits]
        assert np.allclose([s for _, s in hits], cosines, atol=1e-5)
        assert cosines == sorted(cosines, reverse=True)
    index.ann.nprobe = index.ann.nlist
    assert all({i for i, _ in index.search(query, 10)} == set(e.tolist())
               for query, e in zip(queries, exact, strict=True))


def test_ann_index_takes_adds_and_removals_after_training() -> None:
    """Vectors added past training are found; removed ones are gone from both parts."""
    vectors = _unit(3000)
    index = VectorIndex(32, exact_limit=1000)
    index.add(np.arange(2000), vectors[:2000])
    index.add(np.arange(2000, 3000), vectors[2000:])
    assert index.search(vectors[2500], 1)[0][0] == 2500
    index.remove(np.array([2500, 10, 99_999]))
    assert len(index) == 2998 and index.ann.ntotal == 2998
    assert all(i not in {2500, 10} for i, _ in index.search(vectors[2500], 50))


def test_an_older_float_ivf_file_is_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An index saved as a float IVF (no store to re-rank from) is not trusted."""
    import faiss

    vectors = _unit(2000)
    old = faiss.IndexIVFFlat(faiss.IndexFlatIP(32), 32, 20, faiss.METRIC_INNER_PRODUCT)
    old.train(vectors)
    old.add_with_ids(vectors, np.arange(2000))
    data = faiss.serialize_index(old).tobytes()
    (tmp_path / INDEX_FILE).write_bytes(data)
    manifest = Manifest(model="model-a", dim=32, count=2000, ids_checksum=ids_checksum(
        np.arange(2000)), file_sha256=hashlib.sha256(data).hexdigest(), kind="ivf20")
    (tmp_path / MANIFEST_FILE).write_text(json.dumps(asdict(manifest)))
    with caplog.at_level(logging.WARNING, logger="index.vectors"):
        assert VectorIndex.load(tmp_path, model="model-a", dim=32,
                                expected_ids=np.arange(2000)) is None
    assert "older IVF layout" in caplog.text
