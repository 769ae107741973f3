"""Messages that only thank: never a question, on any transport."""

from __future__ import annotations

import re

# A message made only of these words (and emoji, punctuation, ㅎㅎ/ㅋㅋ/ㅠㅠ) thanks someone;
# at least one of THANK_WORDS must be there, the rest only soften or address.
THANK_WORDS = frozenset({
    "고마워", "고마워요", "고마워용", "고맙습니다", "고맙다", "고맙네요", "감사", "감사해요",
    "감사합니다", "감사드려요", "감사드립니다", "감사해용", "ㄱㅅ", "ㄳ", "ㄳㄳ", "땡큐", "땡큐요",
    "thanks", "thank", "thx", "ty", "tysm", "thankyou", "cheers",
})
SOFTENERS = frozenset({
    "you", "u", "so", "much", "a", "lot", "very", "again", "for", "the", "help", "answer",
    "정말", "진짜", "너무", "많이", "넘", "완전", "항상", "다시", "한번", "답변", "도움",
    "선배", "선배님", "sunbae", "님", "요",
})
_MENTION = re.compile(r"<[@#][!&]?\d+>|<@[A-Z0-9]+(\|[^>]*)?>")
_LAUGHTER = re.compile(r"[ㅎㅋㅠㅜ^~]+")


def only_thanks(text: str) -> bool:
    """Whether a message does nothing but thank ("고마워요!", "thanks", "감사합니다 ㅎㅎ")."""
    text = _LAUGHTER.sub(" ", _MENTION.sub(" ", text.lower()))
    words = re.findall(r"[\w가-힣ㄱ-ㅎ]+", text)
    return (any(word in THANK_WORDS for word in words)
            and all(word in THANK_WORDS or word in SOFTENERS for word in words))
