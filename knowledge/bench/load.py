"""Load: many concurrent questions through the async API, and the event loop's lag meanwhile."""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

TICK_S = 0.01


async def _watch_loop(lags_ms: list[float], stop: asyncio.Event) -> None:
    """Sleep one tick at a time; how late each wake-up comes is how long the loop was blocked."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        due = loop.time() + TICK_S
        await asyncio.sleep(TICK_S)
        lags_ms.append(max(0.0, (loop.time() - due) * 1000))


async def ask_concurrently(core: Any, questions: list[str], n: int = 200) -> dict[str, Any]:
    """Ask `n` questions at once via `ask_async` while watching the loop's lag."""
    lags: list[float] = []
    stop = asyncio.Event()
    watcher = asyncio.create_task(_watch_loop(lags, stop))
    started = time.perf_counter()
    results = await asyncio.gather(
        *(core.ask_async(questions[i % len(questions)], user=f"load-{i}") for i in range(n)),
        return_exceptions=True,
    )
    wall = time.perf_counter() - started
    stop.set()
    await watcher
    answered = [r for r in results if not isinstance(r, BaseException)]
    ordered = sorted(lags) or [0.0]
    return {
        "questions": n,
        "answered": len(answered),
        "lost": n - len(answered),
        "distinct_ask_ids": len({a.ask_id for a in answered}),
        "wall_s": round(wall, 2),
        "throughput_qps": round(n / wall, 1),
        "loop_lag_max_ms": round(ordered[-1], 1),
        "loop_lag_p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 1),
        "loop_lag_p50_ms": round(statistics.median(ordered), 2),
    }


def measure_load(core: Any, questions: list[str], n: int = 200) -> dict[str, Any]:
    """`ask_concurrently` on a fresh event loop (for `sunbae bench`)."""
    return asyncio.run(ask_concurrently(core, questions, n))


def distinct_questions(questions: list[str], n: int) -> list[str]:
    """`n` questions cycled from `questions`, repeats numbered, so none is a cache hit."""
    return [q if i < len(questions) else f"{q} ({i // len(questions) + 1})"
            for i, q in ((i, questions[i % len(questions)]) for i in range(n))]


async def _gather(core: Any, questions: list[str]) -> None:
    await asyncio.gather(*(core.ask_async(q, user="bench-concurrent") for q in questions))


def concurrency_ratio(core: Any, embedder: Any, questions: list[str], n: int = 200,
                      rounds: int = 2) -> dict[str, Any]:
    """Wall time of `n` concurrent `ask_async` over the same `n` asked one after another.

    The two alternate `rounds` times in this process (the machine's load drifts); each run
    starts with an empty query cache and asks `n` distinct questions.
    """
    asked = distinct_questions(questions, n)
    sequential: list[float] = []
    concurrent: list[float] = []
    for _ in range(rounds):
        embedder.clear_cache()
        started = time.perf_counter()
        for q in asked:
            core.ask(q, user="bench-sequential")
        sequential.append(time.perf_counter() - started)
        embedder.clear_cache()
        started = time.perf_counter()
        asyncio.run(_gather(core, asked))
        concurrent.append(time.perf_counter() - started)
    ratios = [c / s for c, s in zip(concurrent, sequential, strict=True)]
    return {
        "questions": n,
        "sequential_s": [round(s, 2) for s in sequential],
        "concurrent_s": [round(c, 2) for c in concurrent],
        "concurrent_200_vs_sequential": round(statistics.median(ratios), 3),
    }
