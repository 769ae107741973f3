"""One ingest at a time: a thread lock for this process and a file lock for all of them.

Two `sunbae ingest` processes (or the bot and the CLI) each save the index file after their
commit; serialised, the later one first catches up with the earlier one's rows, so the file
it saves holds both.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from threading import Lock
from types import TracebackType

try:
    import fcntl
except ImportError:  # Windows: only the thread lock
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)


class IngestLock:
    """A context manager held around the whole of an ingest's store-and-index step."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._thread_lock = Lock()
        self._fd: int | None = None
        self._warned = False

    def __enter__(self) -> IngestLock:
        self._thread_lock.acquire()
        try:
            self._fd = self._lock_file()
        except BaseException:
            self._thread_lock.release()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if self._fd is not None:
                os.close(self._fd)  # closing the descriptor releases the flock
                self._fd = None
        finally:
            self._thread_lock.release()

    def _lock_file(self) -> int | None:
        if self.path is None or fcntl is None:
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            # A read-only data folder: ingests of this process still serialise; others
            # cannot write the index here either.
            if not self._warned:
                log.warning("no ingest lock file at %s (%s); ingesting without it",
                            self.path, exc.strerror or exc)
                self._warned = True
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits for another process's ingest to finish
        except BaseException:
            os.close(fd)
            raise
        return fd
