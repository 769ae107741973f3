"""Long text in pieces a chat accepts: one splitter for every transport, which brings only its
own break rule and its way of reopening a code block that a cut left open."""

from __future__ import annotations

from collections.abc import Callable

ELLIPSIS = "…"
FENCE = "```"

BreakRule = Callable[[str, int], int]  # (text, room) -> where to cut, at most `room`
Reopener = Callable[[str], str]  # (piece just cut) -> what the next piece starts with


def cut(text: str, limit: int) -> str:
    """The text, or its first `limit - 1` characters and "…" when it is longer."""
    if len(text) <= limit:
        return text
    return text[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


def plain_reopen(piece: str) -> str:
    """A bare fence to reopen with when `piece` ends inside a code block, else ""."""
    return FENCE + "\n" if piece.count(FENCE) % 2 else ""


def split_text(text: str, limit: int, *, break_at: BreakRule,
               reopen: Reopener = plain_reopen) -> list[str]:
    """Pieces of at most `limit` characters, cut where `break_at` says; a code block cut in
    two is closed, and the next piece starts with what `reopen` gives."""
    text = text.strip()
    room = limit - len(FENCE) - 1  # room to close a code block a cut leaves open
    pieces: list[str] = []
    opening = ""
    while text:
        text = opening + text
        if len(text) <= limit and (text.count(FENCE) % 2 == 0 or len(text) <= room):
            pieces.append(_closed(text))
            break
        at = break_at(text, room)
        piece, text = text[:at].rstrip(), text[at:].lstrip()
        opening = reopen(piece)
        pieces.append(_closed(piece))
    return [piece for piece in pieces if piece.strip()]


def _closed(piece: str) -> str:
    return piece + "\n" + FENCE if piece.count(FENCE) % 2 else piece
