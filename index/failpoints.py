"""Named crash points for the crash-safety tests: SUNBAE_FAILPOINT=name kills the process there."""

from __future__ import annotations

import os
import signal


def reach(name: str) -> None:
    """Die at once, as with `kill -9`, when the environment names this point (else nothing)."""
    if os.environ.get("SUNBAE_FAILPOINT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
