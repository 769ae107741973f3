"""Korean-aware tokens for lexical search: kiwipiepy morphemes plus whole English identifiers."""

from __future__ import annotations

import re
from functools import lru_cache
from threading import Lock

# English words and code identifiers (collate_fn, nn.Linear, L1, Resize, 244): kept whole.
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_SPLIT = re.compile(r"[_.]|(?<=[a-z])(?=[A-Z])")
# Content morphemes: nouns, verb/adjective stems, roots, foreign words, numbers, hanja.
_KEEP_TAGS = {"NNG", "NNP", "NNB", "NR", "VV", "VA", "XR", "SN", "SH", "MAG"}
_STOP_EN = frozenset(
    """
    a an the and or but if then else of to in on at by for with from as is are was were be been
    being do does did done have has had having it its this that these those there here what
    which who whom whose why how when where can could should would will shall may might must i
    you he she we they me him her us them my your our their mine yours not no yes so than too
    very just also into about over under up down out off again more most some any each other
    such only own same s t don doesn didn isn aren wasn weren vs via per
    """.split()
)
# Korean function-like nouns and verbs that say little about the topic.
_STOP_KO = frozenset(
    "것 수 등 때 거 뭐 어떻 하 되 있 없 이 그 저 좀 잘 더 왜 어디 언제 누구".split()
)

# Kiwi without its multi-word dictionary (multi.dict: set phrases analysed as one unit):
# about 195 MB less resident memory (500 → 305 MB) and a faster first analysis. Checked
# with `sunbae eval --loco` before and after (issue 10; figures in the README).
KIWI_OPTIONS: dict[str, bool] = {"load_multi_dict": False}


def is_hangul(ch: str) -> bool:
    """True for a Hangul syllable or jamo (conjoining, as in NFD text, or compatibility)."""
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3131" <= ch <= "\u318e"


def has_hangul(text: str) -> bool:
    """True when any character of `text` is Hangul (see `is_hangul`)."""
    return any(map(is_hangul, text))


class Tokenizer:
    """Turns text into search tokens; thread-safe, one Kiwi instance per process."""

    def __init__(self) -> None:
        from kiwipiepy import Kiwi  # late: loading its model takes a second

        self._kiwi = Kiwi(**KIWI_OPTIONS)
        self._lock = Lock()

    def tokens(self, text: str) -> list[str]:
        """Search tokens of `text`, repeats kept (BM25 counts them)."""
        return [token for token, _ in self.positioned_tokens(text)]

    def positioned_tokens(self, text: str) -> list[tuple[str, int]]:
        """Search tokens of `text`, each with the offset in `text` where it starts."""
        out: list[tuple[str, int]] = []
        # Latin spans become a one-letter placeholder word, so particles glued to them
        # ("collate_fn은") still parse as particles; `origin` maps offsets back.
        pieces: list[str] = []
        origin: list[int] = []
        cursor = 0
        for match in _LATIN.finditer(text):
            out.extend((token, match.start()) for token in _latin_tokens(match.group()))
            pieces.append(text[cursor : match.start()])
            origin.extend(range(cursor, match.start()))
            pieces.append("A")
            origin.append(match.start())
            cursor = match.end()
        pieces.append(text[cursor:])
        origin.extend(range(cursor, len(text)))
        hangul = "".join(pieces)
        if has_hangul(hangul):
            with self._lock:
                morphs = self._kiwi.tokenize(hangul)
            for token in morphs:
                if token.tag in _KEEP_TAGS and token.form not in _STOP_KO:
                    out.append((token.form.lower(), origin[min(token.start, len(origin) - 1)]))
        return out


    def content_words(self, text: str) -> list[tuple[str, int]]:
        """Nouns and roots of two or more letters, and English words (their first search
        token), each with its offset: what a question can ask about (`batch size 몇`)."""
        with self._lock:
            morphs = self._kiwi.tokenize(text)
        out: list[tuple[str, int]] = []
        for token in morphs:
            if token.tag in {"NNG", "NNP", "XR"} and len(token.form) > 1:
                out.append((token.form.lower(), token.start))
            elif token.tag == "SL":
                out.extend((word, token.start) for word in _latin_tokens(token.form)[:1])
        return out


def _latin_tokens(word: str) -> list[str]:
    lowered = word.lower()
    if lowered in _STOP_EN:
        return []
    parts = [p.lower() for p in _SPLIT.split(word) if p]
    out = [_stem(lowered)]
    if len(parts) > 1:
        out.extend(_stem(p) for p in parts if p not in _STOP_EN)
    return out


def _stem(word: str) -> str:
    # A light plural strip so "recommendations" meets "recommendation"; enough for BM25 here.
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss") and word.isalpha():
        return word[:-1]
    return word


@lru_cache(maxsize=1)
def shared_tokenizer() -> Tokenizer:
    """The process-wide tokenizer (Kiwi loads once)."""
    return Tokenizer()
