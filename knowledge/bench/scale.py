"""`sunbae bench` at corpus sizes: FAISS and BM25 from the real corpora up to a million passages.

Above the real corpora, passages are generated: their tokens recombine 2-4 real sentences, and
their vectors mix two real stored vectors with a little noise (embedding a million passages
here would take a day), so every figure above the real size is marked `generated`.
"""

from __future__ import annotations

import resource
import statistics
import time
from typing import TYPE_CHECKING, Any

import faiss
import numpy as np

from index.lexical import BM25Index
from index.search import best_within
from index.vectors import VectorIndex, set_search_threads

if TYPE_CHECKING:
    from index.embedder import TextEmbedder
    from index.tokens import Tokenizer
    from knowledge.views import StoredPassage

SIZES = (10_000, 100_000, 1_000_000)
SEARCH_DEPTH = 100  # what the fusion asks each ranking for
SPACE_SHARE = 10  # one space in ten: the asker's space holds every 10th passage


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    """The process's peak resident memory so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _real_rows(
    passages: list[StoredPassage],
) -> tuple[np.ndarray, list[list[str]], list[list[str]]]:
    """Stored vectors, passage tokens and sentence token lines of the ingested corpora."""
    vectors = np.stack([p.vector for p in passages]).astype(np.float32, copy=False)
    sentences = [list(line) for p in passages for line in p.sentence_tokens]
    return vectors, [list(p.tokens) for p in passages], sentences


def generate(real: np.ndarray, sentences: list[list[str]], count: int,
             seed: int = 0) -> tuple[np.ndarray, list[list[str]]]:
    """`count` passages made from real ones: mixed vectors, recombined sentences."""
    rng = np.random.default_rng(seed)
    vectors = np.empty((count, real.shape[1]), dtype=np.float32)
    for start in range(0, count, 100_000):
        n = min(100_000, count - start)
        a, b = rng.integers(0, len(real), n), rng.integers(0, len(real), n)
        w = rng.uniform(0.3, 0.7, (n, 1)).astype(np.float32)
        mixed = w * real[a] + (1 - w) * real[b]
        mixed += rng.normal(0, 0.01, mixed.shape).astype(np.float32)
        vectors[start : start + n] = mixed / np.linalg.norm(mixed, axis=1, keepdims=True)
    picks = rng.integers(0, len(sentences), (count, 4))
    lengths = rng.integers(2, 5, count)
    tokens = [[t for j in picks[i, : lengths[i]] for t in sentences[j]] for i in range(count)]
    return vectors, tokens


def _p50_ms(run: Any, items: list[Any], rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        for item in items:
            started = time.perf_counter()
            run(item)
            times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """The ids of the `k` exact nearest rows of each query (bare FAISS, no index copy)."""
    _, ids = faiss.knn(queries, vectors, k, metric=faiss.METRIC_INNER_PRODUCT)
    return np.asarray(ids)


def recall_at_10(index: VectorIndex, vectors: np.ndarray, queries: np.ndarray) -> float:
    """The share of each query's exact top 10 that the index's top 10 holds, on average: the
    top 10 of the depth-100 search a question makes (the one timed)."""
    exact = exact_top(vectors, queries, 10)
    found = [{i for i, _ in index.search(q, SEARCH_DEPTH)[:10]} for q in queries]
    return float(np.mean([len(f & set(e.tolist())) / 10
                          for f, e in zip(found, exact, strict=True)]))


def space_search(index: VectorIndex, query: np.ndarray) -> list[tuple[int, float]]:
    """A depth-100 search among the passages of one space of SPACE_SHARE (ids divisible by
    it), filtered as a question's own space is (`best_within`)."""
    return best_within(lambda n: index.search(query, n), SEARCH_DEPTH, held=len(index),
                       mine=-(-len(index) // SPACE_SHARE),
                       member=lambda pid: pid % SPACE_SHARE == 0)


def space_recall_at_10(index: VectorIndex, vectors: np.ndarray, queries: np.ndarray) -> float:
    """`recall_at_10` of `space_search` against the exact top 10 of that space's passages."""
    exact = exact_top(vectors[::SPACE_SHARE], queries, 10) * SPACE_SHARE
    found = [{i for i, _ in space_search(index, q)[:10]} for q in queries]
    return float(np.mean([len(f & set(e.tolist())) / 10
                          for f, e in zip(found, exact, strict=True)]))


def measure_size(vectors: np.ndarray, tokens: list[list[str]], queries: np.ndarray,
                 query_tokens: list[list[str]], generated: bool) -> dict[str, Any]:
    """Build both indexes over one corpus size and time single questions against them."""
    rss_before = _rss_mb()
    started = time.perf_counter()
    index = VectorIndex(vectors.shape[1])
    index.add(np.arange(len(vectors), dtype=np.int64), vectors)
    faiss_build_s = time.perf_counter() - started
    set_search_threads(1)  # one question, one thread (OpenMP start-up costs more than it saves)
    search_p50 = _p50_ms(lambda q: index.search(q, SEARCH_DEPTH), list(queries))
    recall = recall_at_10(index, vectors, queries)
    space_p50 = _p50_ms(lambda q: space_search(index, q), list(queries))
    space_recall = space_recall_at_10(index, vectors, queries)
    flat_p50 = _p50_ms(lambda q: exact_top(vectors, q.reshape(1, -1), SEARCH_DEPTH),
                       list(queries), rounds=1)
    rss_faiss = _rss_mb()
    started = time.perf_counter()
    lexical = BM25Index()
    for doc_id, doc in enumerate(tokens):
        lexical.add(doc_id, doc)
    lexical.search(["warm"], 1)  # builds the matrix
    lexical_build_s = time.perf_counter() - started
    lexical_p50 = _p50_ms(lambda t: lexical.search(t, SEARCH_DEPTH), query_tokens)
    result = {
        "passages": len(vectors),
        "generated": generated,
        "index_kind": index.kind,
        "faiss_build_s": round(faiss_build_s, 1),
        "search_p50_ms": search_p50,
        "ann_recall_at_10": round(recall, 3),
        "space_search_p50_ms": space_p50,  # the asker's space: one passage in SPACE_SHARE
        "space_recall_at_10": round(space_recall, 3),
        "flat_p50_ms": flat_p50,
        "lexical_build_s": round(lexical_build_s, 1),
        "lexical_p50_ms": lexical_p50,
        "faiss_mb": round(rss_faiss - rss_before, 0),
        "lexical_mb": round(_rss_mb() - rss_faiss, 0),
        "peak_rss_mb": round(peak_rss_mb(), 0),
    }
    return result


def measure_sizes(
    passages: list[StoredPassage], embedder: TextEmbedder, tokenizer: Tokenizer,
    questions: list[str], max_passages: int,
) -> list[dict[str, Any]]:
    """Every size up to `max_passages`: the real corpora first, then generated ones."""
    real, real_tokens, sentences = _real_rows(passages)
    queries = np.stack([embedder.embed_query(q) for q in questions])
    query_tokens = [tokenizer.tokens(q) for q in questions]
    results = [measure_size(real, real_tokens, queries, query_tokens, generated=False)]
    for size in SIZES:
        if size > max_passages or size <= len(real):
            continue
        vectors, tokens = generate(real, sentences, size)
        results.append(measure_size(vectors, tokens, queries, query_tokens, generated=True))
        del vectors, tokens
    return results


def render_sizes(sizes: list[dict[str, Any]]) -> str:
    """The per-size table."""
    head = ("passages", "data", "index", "search p50 ms", "recall@10",
            f"1-in-{SPACE_SHARE} space p50 ms / recall@10", "BM25 p50 ms",
            "FAISS MB", "BM25 MB", "build s (FAISS/BM25)", "peak RSS MB")
    rows = [head] + [(
        f"{s['passages']:,}", "generated" if s["generated"] else "real", s["index_kind"],
        str(s["search_p50_ms"]), str(s["ann_recall_at_10"]),
        f"{s.get('space_search_p50_ms', '-')} / {s.get('space_recall_at_10', '-')}",
        str(s["lexical_p50_ms"]),
        str(s["faiss_mb"]), str(s["lexical_mb"]),
        f"{s['faiss_build_s']} / {s['lexical_build_s']}", str(s["peak_rss_mb"]),
    ) for s in sizes]
    width = [max(len(r[k]) for r in rows) for k in range(len(head))]
    return "\n".join("  ".join(c.ljust(width[k]) for k, c in enumerate(r)) for r in rows)
