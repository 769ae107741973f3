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
