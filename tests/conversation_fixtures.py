"""Shared by the conversation tests of every transport: which thread context the real core was
asked with, and how many asks a space logged."""

from __future__ import annotations

from typing import Any

import pytest

from knowledge.core import Sunbae


def record_contexts(core: Sunbae, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The `context` of every question `core` answers from now on, in order (the real answer
    is still given)."""
    seen: list[Any] = []
    ask = core.ask

    def recording(question: str, **options: Any) -> Any:
        seen.append(options.get("context"))
        return ask(question, **options)

    monkeypatch.setattr(core, "ask", recording)
    return seen


def asks_logged(core: Sunbae, space: str) -> int:
    """How many questions `space` has logged."""
    return core.stats(space=space).asks
