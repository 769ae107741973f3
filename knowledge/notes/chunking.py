"""Split a section's text into passages of at most `max_chars`, on paragraph boundaries."""

from __future__ import annotations

import bisect
import logging
import zlib
from dataclasses import dataclass

from knowledge.notes.parsing import ParsedSection
from knowledge.notes.parsing.markdown import fence_spans
from knowledge.text.sentences import sentence_ends

log = logging.getLogger(__name__)

# Filler: a long passage with no letter or digit, or one short pattern repeated (compressing
# to under a tenth). A hostile note is hundreds of them, each costing an embedding of
# hundreds of tokens; no passage of the shared journals comes near (the least compressible
# of 200+ characters keeps 0.22 of its bytes: a code block).
FILLER_MIN_CHARS = 200
FILLER_RATIO = 0.1


@dataclass(frozen=True)
class Chunk:
    """A passage: `text == section_text[start:end]`, with no surrounding whitespace."""

    text: str
    start: int
    end: int


def _tight(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span [start, end) without leading and trailing whitespace, None if blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _blocks(text: str) -> list[tuple[int, int, bool]]:
    """Paragraphs and whole code fences as tight spans (start, end, is_code), in order."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    fences = {begin: end for begin, end in fence_spans(lines)}

    blocks: list[tuple[int, int, bool]] = []

    def add(first: int, last: int, code: bool) -> None:
        # Lines [first, last) as one block; the final line has no trailing newline.
        span = _tight(text, offsets[first], min(offsets[last], len(text)))
        if span is not None:
            blocks.append((span[0], span[1], code))

    index = 0
    paragraph_start: int | None = None
    while index < len(lines):
        if index in fences:
            if paragraph_start is not None:
                add(paragraph_start, index, False)
                paragraph_start = None
            add(index, fences[index], True)
            index = fences[index]
            continue
        if lines[index].strip():
            if paragraph_start is None:
                paragraph_start = index
        elif paragraph_start is not None:
            add(paragraph_start, index, False)
            paragraph_start = None
        index += 1
    if paragraph_start is not None:
        add(paragraph_start, len(lines), False)
    return blocks


def _break_points(text: str, start: int, end: int, code: bool) -> list[int]:
    """Positions inside [start, end) where a piece may end: line ends, and sentence ends."""
    points = {i for i in range(start, end) if text[i] == "\n"}
    if not code:
        # Sentences mean nothing inside code; there only line ends are clean cuts.
        points.update(start + at for at in sentence_ends(text[start:end]) if at < end - start)
    return sorted(points)


def _split_long(
    text: str, start: int, end: int, code: bool, max_chars: int
) -> list[tuple[int, int]]:
    """Cut one oversized block at sentence or line ends; mid-sentence only when forced."""
    points = _break_points(text, start, end, code)
    pieces: list[tuple[int, int]] = []
    cursor = start
    while True:
        span = _tight(text, cursor, end)
        if span is None:
            return pieces
        cursor = span[0]
        if end - cursor <= max_chars:
            pieces.append((cursor, span[1]))
            return pieces
        limit = cursor + max_chars
        found = bisect.bisect_right(points, limit) - 1
        if found >= 0 and points[found] > cursor:
            cut = points[found]
        else:
            # No sentence or line end in reach: cut at the last space in the window's
            # second half, or else exactly at the limit.
            space = next(
                (i for i in range(limit - 1, cursor + max_chars // 2, -1) if text[i].isspace()),
                None,
            )
            cut = space if space is not None else limit
        piece = _tight(text, cursor, cut)
        if piece is not None:
            pieces.append(piece)
        cursor = cut


def chunk_text(text: str, max_chars: int = 700) -> list[Chunk]:
    """Pack consecutive paragraphs into chunks of at most `max_chars` characters.

    A paragraph (or code fence) longer than `max_chars` is split first, at sentence ends
    or line ends where possible. Chunks are in order, never overlap, and together hold
    every non-whitespace character of `text`.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be positive, got {max_chars}")
    pieces: list[tuple[int, int]] = []
    for start, end, code in _blocks(text):
        if end - start <= max_chars:
            pieces.append((start, end))
        else:
            pieces.extend(_split_long(text, start, end, code, max_chars))

    chunks: list[Chunk] = []
    current: tuple[int, int] | None = None
    for start, end in pieces:
        if current is not None and end - current[0] <= max_chars:
            current = (current[0], end)
            continue
        if current is not None:
            chunks.append(Chunk(text[current[0] : current[1]], current[0], current[1]))
        current = (start, end)
    if current is not None:
        chunks.append(Chunk(text[current[0] : current[1]], current[0], current[1]))
    return chunks


def is_filler(text: str) -> bool:
    """Whether a passage is long filler: no letter or digit at all, or a short pattern
    repeated (`....`, `<summary><summary>…`, `Day 1 Day 1 …`)."""
    if len(text) < FILLER_MIN_CHARS:
        return False
    if not any(ch.isalnum() for ch in text):
        return True
    raw = text.encode()
    return len(zlib.compress(raw, 1)) < FILLER_RATIO * len(raw)


def indexed_chunks(section: ParsedSection, max_chars: int = 700) -> list[Chunk]:
    """The chunks of a section worth indexing: `chunk_text`'s without filler (logged)."""
    chunks = chunk_text(section.text, max_chars)
    kept = [chunk for chunk in chunks if not is_filler(chunk.text)]
    if len(kept) < len(chunks):
        log.warning("%s: %d passages of filler (no letters, or one pattern repeated) "
                    "not indexed", section.label[:80], len(chunks) - len(kept))
    return kept
