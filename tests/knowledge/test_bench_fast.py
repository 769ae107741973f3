"""The bench's pieces on small inputs: its keys, its questions, its plot, its worker threads."""

from __future__ import annotations

import json
from pathlib import Path

import faiss
import numpy as np
from sqlalchemy import func, select

from index.vectors import VectorIndex
from knowledge.bench.load import concurrency_ratio, distinct_questions
from knowledge.bench.plot import plot_series, write_plot
from knowledge.bench.run import headline, largest_corpora
from knowledge.bench.scale import (
    SPACE_SHARE,
    exact_top,
    recall_at_10,
    space_recall_at_10,
    space_search,
)
from knowledge.bench.serve import parse_serve
from knowledge.startup import start_worker_pool, worker_count
from knowledge.store.models import Ask

ISSUE_KEYS = {
    "answer_p50_ms", "answer_p95_ms", "fp32_embed_p50_ms", "answer_vs_fp32_embed",
    "ingest_vs_fp32_encode", "cold_start_s", "serve_rss_mb", "concurrent_200_vs_sequential",
    "bm25_update_ms_at_1m",
}


def test_distinct_questions_cycle_without_repeating_a_text() -> None:
    asked = distinct_questions(["a?", "b?", "c?"], 7)
    assert len(asked) == 7 and len(set(asked)) == 7
    assert asked[:3] == ["a?", "b?", "c?"]
    assert asked[3].startswith("a?") and asked[6].startswith("a?")


def test_headline_names_every_figure_of_the_issue() -> None:
    ask = {"ask_p50_ms": 5.0, "ask_p95_ms": 9.0, "fp32_embed_p50_ms": 20.0,
           "answer_vs_fp32_embed": 0.25}
    figures = headline(ask, {"ingest_ratio": 1.7},
                       {"cold_start_s": 3.1, "serve_rss_mb": 500.0},
                       {"concurrent_200_vs_sequential": 0.55}, 7.5)
    assert set(figures) == ISSUE_KEYS
    assert figures["answer_p50_ms"] == 5.0 and figures["bm25_update_ms_at_1m"] == 7.5


def test_parse_serve_counts_from_the_launch() -> None:
    line = json.dumps({"t_import": 101.0, "t_model": 102.5, "t_index": 103.0,
                       "t_answer": 103.25, "answered": 200, "peak_rss_mb": 512.4,
                       "torch_imported": False})
    parsed = parse_serve(100.0, "loading…\n" + line + "\n")
    assert parsed["cold_start_s"] == 3.25 and parsed["import_s"] == 1.0
    assert (parsed["model_load_s"], parsed["index_load_s"], parsed["first_answer_s"]) == (
        1.5, 0.5, 0.25)
    assert parsed["serve_rss_mb"] == 512.4 and parsed["torch_imported"] is False


def test_parse_serve_keeps_each_steps_memory() -> None:
    """The resident MB after each start-up step and the load average come through."""
    line = json.dumps({"t_import": 101.0, "t_model": 102.5, "t_index": 103.0,
                       "t_answer": 103.25, "answered": 200, "peak_rss_mb": 512.4,
                       "torch_imported": False, "load_average": 1.5,
                       "rss_mb_after": {"import": 90.04, "model": 300.0, "answers": None}})
    parsed = parse_serve(100.0, line)
    assert parsed["rss_mb_after"] == {"import": 90.0, "model": 300.0, "answers": None}
    assert parsed["load_average"] == 1.5


def test_largest_corpora_by_bytes(tmp_path: Path) -> None:
    for name, size in (("small", 10), ("big", 300), ("mid", 100), ("tiny", 1)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "note.md").write_text("x" * size)
    chosen = largest_corpora(sorted(tmp_path.iterdir()))
    assert [p.name for p in chosen] == ["big", "mid", "small"]


def test_recall_of_an_exact_index_is_one() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(500, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex(16)
    index.add(np.arange(500, dtype=np.int64), vectors)
    queries = vectors[:5] + 0.01
    assert recall_at_10(index, vectors, queries) == 1.0
    assert space_recall_at_10(index, vectors, queries) == 1.0
    assert all(pid % SPACE_SHARE == 0 for pid, _ in space_search(index, queries[0]))
    assert exact_top(vectors, vectors[:3], 1).ravel().tolist() == [0, 1, 2]


def test_plot_series_and_file(tmp_path: Path) -> None:
    sizes = [
        {"passages": 100_000, "search_p50_ms": 3.0, "lexical_p50_ms": 2.0, "flat_p50_ms": 9.0},
        {"passages": 5_000, "search_p50_ms": 0.5, "lexical_p50_ms": 0.2, "flat_p50_ms": 0.5},
    ]
    series = plot_series(sizes)
    assert series["Sunbae dense + BM25"] == [(5_000, 0.7), (100_000, 5.0)]
    assert series["bare FAISS, exact (IndexFlatIP)"][1] == (100_000, 9.0)
    target = tmp_path / "bench.png"
    assert write_plot(sizes, target) == target.exists()  # False only without matplotlib


def test_workers_search_on_one_faiss_thread_each() -> None:
    """OpenMP's thread count is per thread: the workers set theirs, not only the main one."""
    pool = start_worker_pool()
    try:
        counts = {pool.submit(faiss.omp_get_max_threads).result() for _ in range(4)}
    finally:
        pool.shutdown(wait=True)
    assert counts == {1}
    assert worker_count() >= 2


def test_concurrency_ratio_asks_every_question_both_ways(fast_core, fake_embedder) -> None:  # type: ignore[no-untyped-def]
    result = concurrency_ratio(fast_core, fake_embedder, ["collate_fn이 뭐야?", "What is a leaf?"],
                               n=6, rounds=1)
    assert result["questions"] == 6
    assert len(result["sequential_s"]) == len(result["concurrent_s"]) == 1
    assert result["concurrent_200_vs_sequential"] > 0
    with fast_core._store.session() as session:  # who asked: read from the ask log rows
        rows = session.execute(select(Ask.user, func.count(Ask.id)).group_by(Ask.user)).all()
    assert dict(rows) == {"bench-concurrent": 6, "bench-sequential": 6}
