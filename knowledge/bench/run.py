"""`sunbae bench`: Sunbae's speed next to the bare model and FAISS it is bounded by."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.tokens import shared_tokenizer
from index.vectors import VectorIndex
from knowledge.bench.hostile import measure_hostile_ingest
from knowledge.bench.ingest import (
    build_store,
    copy_store,
    largest_corpora,
    measure_ingest,
    timed_corpora,
)
from knowledge.bench.lexical_update import bm25_update_ms
from knowledge.bench.load import concurrency_ratio, measure_load
from knowledge.bench.phases import PhaseClock
from knowledge.bench.scale import measure_sizes, peak_rss_mb, render_sizes
from knowledge.bench.serve import measure_serve
from knowledge.evaluation.evaluate import load_questions
from knowledge.settings import Settings

if TYPE_CHECKING:
    from index.embedder import Embedder, TextEmbedder
    from knowledge.core import Sunbae
    from knowledge.views import StoredPassage

FALLBACK_QUESTIONS = [
    "collate_fn이 뭐야?",
    "Resize(244) 하고 CenterCrop(224) 하면 뭐가 달라?",
    "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?",
    "vgg에 fc 붙이면 왜 자동으로 연결 안 돼?",
    "쿠버네티스 파드 오토스케일링은 어떻게 설정해?",
    "What is a leaf variable in PyTorch?",
]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bare_vector_index(passages: list[StoredPassage], dim: int) -> VectorIndex:
    """FAISS alone over the stored vectors, built as the core builds its own."""
    index = VectorIndex(dim)
    if passages:
        index.add(np.asarray([p.id for p in passages], dtype=np.int64),
                  np.stack([p.vector for p in passages]))
    return index


def measure_ask(core: Sunbae, embedder: TextEmbedder, baseline: Embedder, questions: list[str],
                rounds: int = 3) -> dict[str, Any]:
    """Warm question latency by outcome, next to bare fp32 query embedding + FAISS search."""
    for q in questions[:3]:  # warm up: first calls pay for lazy initialisation
        core.ask(q, record=False)
    by_kind: dict[str, list[float]] = {}
    ask_ms: list[float] = []
    bare_ms: list[float] = []
    embed_ms: list[float] = []
    model = baseline.model
    vectors = bare_vector_index(core.stored_passages(), embedder.dim)
    for _ in range(rounds):
        for q in questions:
            embedder.clear_cache()  # measure real embedding, not the repeat cache
            started = time.perf_counter()
            answer = core.ask(q)
            elapsed = (time.perf_counter() - started) * 1000
            ask_ms.append(elapsed)
            by_kind.setdefault(answer.kind, []).append(elapsed)
            started = time.perf_counter()
            vector = model.encode([baseline.query_prompt + q], normalize_embeddings=True)
            embedded = time.perf_counter()
            vectors.search(np.asarray(vector[0], dtype=np.float32), 10)
            bare_ms.append((time.perf_counter() - started) * 1000)
            embed_ms.append((embedded - started) * 1000)
    ask_p50, bare_p50 = statistics.median(ask_ms), statistics.median(bare_ms)
    embed_p50 = statistics.median(embed_ms)
    return {
        "questions": len(questions),
        "ask_p50_ms": round(ask_p50, 1),
        "ask_p95_ms": round(_percentile(ask_ms, 0.95), 1),
        "bare_p50_ms": round(bare_p50, 1),
        "bare_p95_ms": round(_percentile(bare_ms, 0.95), 1),
        "ask_ratio": round(ask_p50 / bare_p50, 3),
        "fp32_embed_p50_ms": round(embed_p50, 1),
        "answer_vs_fp32_embed": round(ask_p50 / embed_p50, 3),
        "by_kind": {
            kind: {"n": len(v), "p50_ms": round(statistics.median(v), 1),
                   "p95_ms": round(_percentile(v, 0.95), 1)}
            for kind, v in sorted(by_kind.items())
        },
    }


def headline(ask: dict[str, Any], ingest: dict[str, Any], serve: dict[str, Any],
             concurrency: dict[str, Any], bm25_update_ms: float) -> dict[str, Any]:
    """The figures issue 10 asks for, by the names it gives them."""
    return {
        "answer_p50_ms": ask["ask_p50_ms"],
        "answer_p95_ms": ask["ask_p95_ms"],
        "fp32_embed_p50_ms": ask["fp32_embed_p50_ms"],
        "answer_vs_fp32_embed": ask["answer_vs_fp32_embed"],
        "ingest_vs_fp32_encode": ingest["ingest_ratio"],
        "cold_start_s": serve["cold_start_s"],
        "serve_rss_mb": serve["serve_rss_mb"],
        "concurrent_200_vs_sequential": concurrency["concurrent_200_vs_sequential"],
        "bm25_update_ms_at_1m": bm25_update_ms,
    }


def run_bench(
    settings: Settings, corpora: list[Path], questions_file: Path | None,
    max_passages: int = 1_000_000,
) -> dict[str, Any]:
    """Every figure of `sunbae bench`, measured in one run.

    The serving figures (cold start, resident memory) come from a new process over the
    three largest corpora, which never loads the torch baseline this process times. Each
    phase's wall time is printed to stderr as it ends and returned under `phase_s`.
    """
    from knowledge.core import Sunbae
    from knowledge.startup import load_embedder, torch_embedder

    questions = (
        [q.q for q in load_questions(questions_file)]
        if questions_file and questions_file.exists() else FALLBACK_QUESTIONS
    )
    clock = PhaseClock()
    serving_corpora = largest_corpora(corpora)
    timed = timed_corpora(corpora, serving_corpora)
    with tempfile.TemporaryDirectory(prefix="sunbae-bench-") as tmp:
        fresh = settings.model_copy(update={
            "data_dir": Path(tmp) / "bench", "database_url": None, "index_dir": None,
            "model_cache": settings.resolved_model_cache.resolve(),
        })
        serving = fresh.model_copy(update={"data_dir": Path(tmp) / "serve"})
        with clock.phase("load int8 model"):
            # The bench holds the model and tokenizer it hands the core, to time them bare too.
            embedder, tokenizer = load_embedder(fresh), shared_tokenizer()
        with clock.phase("build serving store"):
            build_store(serving, embedder, tokenizer, serving_corpora,
                        settings.data_dir.resolve() / "eval-vectors" / "vectors.sqlite")
            if set(timed).isdisjoint(serving_corpora):  # the timed ingest adds the rest
                copy_store(serving.data_dir, fresh.data_dir)
        with clock.phase("serving process"):
            serve = measure_serve(serving.data_dir, fresh.resolved_model_cache, questions)
        with clock.phase("load fp32 baseline"):
            baseline = torch_embedder(fresh)  # the fp32 sentence-transformers model, bare
        core = Sunbae.open(fresh, embedder=embedder, tokenizer=tokenizer)
        try:
            with clock.phase("ingest vs fp32 encode"):
                ingest = measure_ingest(core, embedder, baseline, timed, corpora)
            core.load_shipped_curated()
            with clock.phase("answers vs fp32 embed"):
                ask = measure_ask(core, embedder, baseline, questions)
            with clock.phase("200 concurrent (loop lag)"):
                load = measure_load(core, questions, n=200)
            with clock.phase("concurrent vs sequential"):
                concurrency = concurrency_ratio(core, embedder, questions, n=200)
            passages = core.stored_passages()
        finally:
            core.close()
    with clock.phase("sizes"):
        sizes = measure_sizes(passages, embedder, tokenizer, questions, max_passages)
    bm25_passages = min(max_passages, 1_000_000)
    with clock.phase("bm25 update"):
        bm25_ms = bm25_update_ms(bm25_passages, _sentence_tokens(passages))
    with clock.phase("hostile ingest"):
        hostile = measure_hostile_ingest(settings.resolved_model_cache.resolve())
    return {
        **headline(ask, ingest, serve, concurrency, bm25_ms),
        "bm25_update_passages": bm25_passages,
        "ask_ratio": ask["ask_ratio"],
        "ingest_ratio": ingest["ingest_ratio"],
        "reingest_unchanged_s": ingest["reingest_unchanged_s"],
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "sizes": sizes,
        "ask": ask,
        "load": load,
        "concurrency": concurrency,
        "ingest": ingest,
        "cold_start": serve,
        "corpora": [str(c) for c in corpora],
        "serving_corpora": [str(c) for c in serving_corpora],
        **hostile,
        "phase_s": clock.report(),
    }


def _sentence_tokens(passages: list[StoredPassage]) -> list[list[str]]:
    return [list(line) for p in passages for line in p.sentence_tokens] or [["empty"]]


def render(result: dict[str, Any]) -> str:
    """The bench figures as a table, each next to what bounds it."""
    a, i, c, load = result["ask"], result["ingest"], result["cold_start"], result["load"]
    r = result
    rows = [
        ("answer p50 / p95 (ms)", f"{r['answer_p50_ms']} / {r['answer_p95_ms']}",
         f"bare fp32 embed {r['fp32_embed_p50_ms']} (+FAISS {a['bare_p50_ms']})",
         f"ratio {r['answer_vs_fp32_embed']} (goal ≤ 0.6)"),
    ]
    for kind, v in a["by_kind"].items():
        rows.append(
            (f"  {kind} p50 / p95 (ms)", f"{v['p50_ms']} / {v['p95_ms']}", f"n={v['n']}", "")
        )
    rows += [
        (f"{load['questions']} concurrent questions", f"{load['answered']} answered",
         f"{load['lost']} lost · {load['wall_s']} s · {load['throughput_qps']} q/s",
         f"loop lag max {load['loop_lag_max_ms']} ms, p99 {load['loop_lag_p99_ms']} ms"
         " (goal ≤ 100)"),
        ("200 concurrent / sequential", f"{r['concurrent_200_vs_sequential']}",
         f"wall s {r['concurrency']['concurrent_s']} / {r['concurrency']['sequential_s']}",
         "goal ≤ 0.6"),
        ("ingest (passages/s)", f"{i['ingest_passages_per_s']}",
         f"bare fp32 model.encode {i['bare_encode_passages_per_s']} ({i['passages']} passages,"
         f" {i.get('sentences', 0)} sentences embedded too, of {', '.join(i.get('corpora', []))})",
         f"ratio {r['ingest_vs_fp32_encode']} (goal ≥ 1.5)"),
        ("re-ingest unchanged (s)", f"{i['reingest_unchanged_s']}",
         f"embedded {i['reingest_embedded']}", "goal 0 embedded, < 1 s"),
        ("cold start (s)", f"{c['cold_start_s']}",
         f"import {c['import_s']} · model {c['model_load_s']} · index {c['index_load_s']}"
         f" · first answer {c['first_answer_s']}", "goal ≤ 4"),
        ("serving RSS (MB)", f"{r['serve_rss_mb']}",
         f"{c['answered']} answers, torch imported: {c['torch_imported']}", "goal ≤ 700"),
        (f"BM25 note update at {r['bm25_update_passages']:,} (ms)",
         f"{r['bm25_update_ms_at_1m']}", "20 passages + next search", "goal ≤ 500"),
        ("bench peak RSS (MB)", f"{result['peak_rss_mb']}", f"{i['passages']} passages",
         "torch baseline included"),
    ]
    width = [max(len(row[k]) for row in rows) for k in range(4)]
    table = "\n".join("  ".join(cell.ljust(width[k]) for k, cell in enumerate(row))
                      for row in rows)
    return table + "\n\nby corpus size (FAISS on one thread, depth 100):\n" + render_sizes(
        result["sizes"])
