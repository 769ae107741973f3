"""Which language a question is in, so Sunbae answers in kind."""

from __future__ import annotations

from index.tokens import has_hangul


def question_language(text: str) -> str:
    """'ko' when the question has any Hangul (mixed questions read as Korean), else 'en'."""
    return "ko" if has_hangul(text) else "en"
