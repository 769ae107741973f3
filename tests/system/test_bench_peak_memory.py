"""The serving process's peak memory is its own, not that of the process that started it."""

from __future__ import annotations

import subprocess
import sys

from knowledge.bench.serve import PEAK_MB

HELD_MB = 400


def test_a_child_of_a_large_parent_reports_its_own_peak() -> None:
    """With 400 MB touched here, the child's peak stays that of a small interpreter
    (ru_maxrss would carry this process's high-water mark across exec)."""
    held = bytearray(HELD_MB * 1024 * 1024)
    held[::4096] = b"\x01" * len(held[::4096])  # touch every page: resident, not just mapped
    result = subprocess.run([sys.executable, "-c", PEAK_MB + "print(peak_mb())"],
                            capture_output=True, text=True, check=True)
    child_peak = float(result.stdout)
    assert 0 < child_peak < HELD_MB / 4
    del held
