"""`sunbae bench`'s phase clock: how long each step of a run took, printed as it ends."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


class PhaseClock:
    """Wall seconds per named phase, each printed to stderr (with the load average) when done,
    so a long run shows where its time goes while it runs."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._started = time.perf_counter()

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the block as phase `name` (a repeated name adds up)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            took = time.perf_counter() - started
            self.seconds[name] = round(self.seconds.get(name, 0.0) + took, 2)
            print(f"bench: {name} {took:.1f} s (total {self.total():.1f} s, "
                  f"load {_load():.1f})", file=sys.stderr, flush=True)

    def total(self) -> float:
        """Seconds since the clock started."""
        return time.perf_counter() - self._started

    def report(self) -> dict[str, float]:
        """Every phase's seconds and the run's total."""
        return {**self.seconds, "total": round(self.total(), 2)}


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:  # not available on this platform
        return 0.0
