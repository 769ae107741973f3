"""Following other processes' changes: a thread that polls the store revision and catches up."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class ChangeFollower:
    """Calls `refresh` every `interval` seconds on a daemon thread until stopped.

    A bot, a CLI ingest and a second shard share one database; each keeps its own in-memory
    index, so each polls the cheap revision counter and applies what changed.
    """

    def __init__(self, refresh: Callable[[], bool], interval: float) -> None:
        self._refresh = refresh
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False

    def start(self) -> None:
        """Begin polling (a second call does nothing)."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="sunbae-follow", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        """Stop polling and wait for the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=max(5.0, self.interval * 2))
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self._refresh()
            except Exception as exc:  # a database outage must not end the thread
                if not self._failing:  # said once per outage, not every interval
                    log.warning("cannot follow store changes yet (%s); retrying", exc)
                self._failing = True
            else:
                if self._failing:
                    log.info("following store changes again")
                self._failing = False
