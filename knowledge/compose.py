"""Extractive answers: the sentences of the best passages that cover the question best."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# A sentence ends at a line break, or at . ? ! (also after Korean 다/요) followed by a space.
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")
_MARKUP = re.compile(r"^[\s>*+\-#|]+|[`]{3}.*$")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a passage, verbatim, with where it sits."""

    text: str
    passage_id: int
    position: int


def split_sentences(text: str) -> list[str]:
    """Verbatim sentences of a passage, skipping markup-only lines and code fences."""
    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if line.strip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for part in _SENTENCE_END.split(line):
            sentence = part.strip()
            if len(_MARKUP.sub("", sentence)) >= 4:
                out.append(sentence)
    return out


def pick_sentences(
    passages: list[tuple[int, str]],
    weight_of: Callable[[str], dict[str, float]],
    query_weights: dict[str, float],
    *,
    limit: int = 3,
) -> list[Sentence]:
    """Up to `limit` sentences that cover the most question weight, in reading order.

    `weight_of` maps a sentence to its weighted tokens; `query_weights` holds the question's
    tokens with their idf. The first passage is the best one: its sentences win ties.
    """
    candidates: list[tuple[float, Sentence]] = []
    total = sum(query_weights.values()) or 1.0
    for rank, (passage_id, text) in enumerate(passages):
        for position, sentence in enumerate(split_sentences(text)):
            tokens = weight_of(sentence)
            covered = sum(w for t, w in query_weights.items() if t in tokens) / total
            # Earlier passages are better ranked; a small nudge keeps their sentences ahead.
            candidates.append((covered - 0.05 * rank - 0.001 * position,
                               Sentence(sentence, passage_id, position)))
    if not candidates:
        return []
    candidates.sort(key=lambda item: -item[0])
    best = [s for _, s in candidates[:limit]]
    if len(best) > 1:
        # Keep a second and third sentence only when they add something of the question.
        floor = candidates[0][0] * 0.34
        best = [s for score, s in candidates[:limit] if score >= floor or s is best[0]]
    order = {id(s): (passages_order(passages, s.passage_id), s.position) for s in best}
    return sorted(best, key=lambda s: order[id(s)])


def passages_order(passages: list[tuple[int, str]], passage_id: int) -> int:
    """Where a passage sits in the given list."""
    for index, (pid, _) in enumerate(passages):
        if pid == passage_id:
            return index
    return len(passages)


def short_quote(text: str, limit: int = 160) -> str:
    """A quote for a citation: the sentence, cut at a word with an ellipsis when long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
