"""A readers-writer lock: questions read the index together, an index change writes alone."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType


class _Side:
    """One side of the lock (`lock.read` or `lock.write`) as a reusable context manager."""

    def __init__(self, acquire: Callable[[], None], release: Callable[[], None]) -> None:
        self._acquire = acquire
        self._release = release

    def __enter__(self) -> None:
        self._acquire()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._release()


class ReadWriteLock:
    """Many readers at once, or one writer; a waiting writer goes before new readers.

    Both sides are re-entrant on one thread, and the writer may read; a reader may not
    start writing (that would wait for itself), which raises instead of hanging. `settle`,
    if given, runs now and as each outermost write ends, still alone: the place to finish
    work that readers would otherwise do lazily (and so mutate shared state together).
    """

    def __init__(self, settle: Callable[[], object] | None = None) -> None:
        self._settle = settle
        if settle is not None:
            settle()
        self._condition = threading.Condition(threading.Lock())
        self._readers = 0
        self._writer: int | None = None
        self._writes = 0  # the writer's nesting depth
        self._waiting_writers = 0
        self._local = threading.local()  # this thread's read depth, and whether it counted
        self.read = _Side(self._acquire_read, self._release_read)
        self.write = _Side(self._acquire_write, self._release_write)

    def _read_depth(self) -> int:
        return int(getattr(self._local, "depth", 0))

    def _acquire_read(self) -> None:
        depth = self._read_depth()
        if depth == 0:
            with self._condition:
                counted = self._writer != threading.get_ident()
                if counted:
                    while self._writer is not None or self._waiting_writers:
                        self._condition.wait()
                    self._readers += 1
            self._local.counted = counted
        self._local.depth = depth + 1

    def _release_read(self) -> None:
        depth = self._read_depth() - 1
        self._local.depth = depth
        if depth == 0 and self._local.counted:
            with self._condition:
                self._readers -= 1
                if self._readers == 0:
                    self._condition.notify_all()

    def _acquire_write(self) -> None:
        me = threading.get_ident()
        with self._condition:
            if self._writer == me:
                self._writes += 1
                return
            if self._read_depth() and self._local.counted:
                raise RuntimeError("a reader cannot start writing: it would wait for itself")
            self._waiting_writers += 1
            try:
                while self._writer is not None or self._readers:
                    self._condition.wait()
            finally:
                self._waiting_writers -= 1
            self._writer, self._writes = me, 1

    def _release_write(self) -> None:
        try:
            if self._writes == 1 and self._settle is not None:
                self._settle()
        finally:
            self._release_write_now()

    def _release_write_now(self) -> None:
        with self._condition:
            self._writes -= 1
            if self._writes == 0:
                self._writer = None
                self._condition.notify_all()
