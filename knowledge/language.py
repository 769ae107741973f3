"""Which language a question is in, so Sunbae answers in kind."""

from __future__ import annotations

from index.tokens import has_hangul


def question_language(text: str) -> str:
    """'ko' when the question has any Hangul (mixed questions read as Korean), else 'en'."""
    return "ko" if has_hangul(text) else "en"


def locale_language(locale: str | None) -> str:
    """'ko' for a Korean client locale (Discord's `ko`), else 'en': the language of a reply
    that answers no question (a button on an old message, a command's error)."""
    return "ko" if (locale or "").lower().startswith("ko") else "en"
