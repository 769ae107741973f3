"""The core's readers-writer lock: readers together, a writer alone and first in line."""

from __future__ import annotations

import threading
import time

import pytest

from knowledge.readwrite_lock import ReadWriteLock


def test_readers_hold_the_lock_together() -> None:
    lock = ReadWriteLock()
    both_in = threading.Barrier(2, timeout=10)

    def reader() -> None:
        with lock.read:
            both_in.wait()  # breaks (and raises) unless the other reader is inside too

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not both_in.broken


def test_a_writer_waits_for_readers_and_goes_before_new_ones() -> None:
    lock = ReadWriteLock()
    order: list[str] = []
    writer_waiting = threading.Event()
    lock.read.__enter__()  # a question in progress

    def writer() -> None:
        with lock.write:
            order.append("write")

    def late_reader() -> None:
        with lock.read:
            order.append("read")

    w = threading.Thread(target=writer)
    w.start()
    while not lock._waiting_writers:  # the writer is queued behind the reader
        writer_waiting.wait(0.001)
    r = threading.Thread(target=late_reader)
    r.start()
    assert order == []  # the writer waits for the reader, the new reader for the writer
    lock.read.__exit__(None, None, None)
    w.join(10)
    r.join(10)
    assert order == ["write", "read"]


def test_reentrant_on_one_thread() -> None:
    lock = ReadWriteLock()
    with lock.write, lock.write, lock.read:
        pass
    with lock.read, lock.read:
        pass
    with lock.write:  # released fully above: a writer gets in
        pass


def test_a_reader_cannot_start_writing() -> None:
    lock = ReadWriteLock()
    with lock.read, pytest.raises(RuntimeError, match="reader cannot start writing"):
        lock.write.__enter__()
    with lock.write:  # the refusal left the lock free
        pass


def test_writers_lose_no_update_among_readers() -> None:
    lock = ReadWriteLock()
    state = {"count": 0}
    seen: list[int] = []

    def writer() -> None:
        for _ in range(200):
            with lock.write:
                value = state["count"]
                time.sleep(0)  # let another thread run mid-update
                state["count"] = value + 1

    def reader() -> None:
        for _ in range(200):
            with lock.read:
                seen.append(state["count"])

    threads = [threading.Thread(target=f) for f in (writer, writer, reader, reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert state["count"] == 400 and len(seen) == 400


def test_settle_runs_at_once_then_as_the_outermost_write_ends_still_alone() -> None:
    calls: list[str] = []
    lock: ReadWriteLock | None = None

    def settle() -> None:
        calls.append("made" if lock is None else f"writer {lock._writer == threading.get_ident()}")

    lock = ReadWriteLock(settle=settle)
    with lock.write, lock.write:
        pass
    with lock.read:
        pass
    assert calls == ["made", "writer True"]


def test_a_failing_settle_still_frees_the_lock() -> None:
    fail = False

    def settle() -> None:
        if fail:
            raise ValueError("boom")

    lock = ReadWriteLock(settle=settle)
    fail = True
    with pytest.raises(ValueError, match="boom"), lock.write:
        pass
    assert lock._writer is None and lock._writes == 0
