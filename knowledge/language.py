"""Which language a question is in, so Sunbae answers in kind."""

from __future__ import annotations


def is_hangul(ch: str) -> bool:
    """True for Hangul syllables and jamo."""
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3131" <= ch <= "\u318e"


def question_language(text: str) -> str:
    """'ko' when the question has any Hangul (mixed questions read as Korean), else 'en'."""
    return "ko" if any(is_hangul(ch) for ch in text) else "en"
