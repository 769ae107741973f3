"""Extractive answers: the sentences of the best passages that cover the question best."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from knowledge.text.sentences import sentence_spans

# What is left of a line that is only Markdown (a bullet, a quote mark, a table rule).
_MARKUP = re.compile(r"^[\s>*+\-#|]+|[`]{3}.*$")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a passage, verbatim, with where it sits."""

    text: str
    passage_id: int
    position: int


def _quotable_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans (knowledge.text.sentences) that hold more than Markdown markup."""
    return [
        (start, end) for start, end in sentence_spans(text)
        if len(_MARKUP.sub("", text[start:end])) >= 4
    ]


def split_sentences(text: str) -> list[str]:
    """Verbatim sentences of a passage, skipping markup-only lines and code fences."""
    return [text[start:end] for start, end in _quotable_spans(text)]


def sentence_tokens(text: str, positioned: list[tuple[str, int]]) -> dict[str, frozenset[str]]:
    """Each sentence of a passage (as `split_sentences` gives them) with the tokens inside it.

    `positioned` are the passage's tokens with their offsets, from one tokenizer call: far
    cheaper than tokenizing sentence by sentence on every question.
    """
    out: dict[str, set[str]] = {}
    for start, end in _quotable_spans(text):
        tokens = out.setdefault(text[start:end], set())
        tokens.update(t for t, at in positioned if start <= at < end)
    return {sentence: frozenset(tokens) for sentence, tokens in out.items()}


def pick_sentences(
    passages: list[tuple[int, str]],
    weight_of: Callable[[str], Collection[str]],
    query_weights: dict[str, float],
    *,
    limit: int = 2,
    follow: int = 2,
) -> list[Sentence]:
    """The sentences that cover the most question weight, each with the `follow` after it.

    `weight_of` maps a sentence to its tokens; `query_weights` holds the question's words with
    their idf. The sentence that repeats the question's words often only sets the scene
    ("AUC was fine but recall was low"); the answer tends to come right after it, so each
    chosen sentence brings its successors. Returned in reading order, without repeats.
    """
    candidates: list[tuple[float, Sentence]] = []
    by_place: dict[tuple[int, int], Sentence] = {}
    total = sum(query_weights.values()) or 1.0
    for rank, (passage_id, text) in enumerate(passages):
        for position, line in enumerate(split_sentences(text)):
            tokens = weight_of(line)
            covered = sum(w for t, w in query_weights.items() if t in tokens) / total
            item = Sentence(line, passage_id, position)
            by_place[(rank, position)] = item
            # Earlier passages are better ranked; a small nudge keeps their sentences ahead.
            candidates.append((covered - 0.05 * rank - 0.001 * position, item))
    if not candidates:
        return []
    candidates.sort(key=lambda item: -item[0])
    # A second pick only when it adds a fair share of the question on its own.
    floor = candidates[0][0] * 0.5
    chosen = [s for score, s in candidates[:limit] if score >= floor or s is candidates[0][1]]
    rank_of = {pid: rank for rank, (pid, _) in enumerate(passages)}
    places: set[tuple[int, int]] = set()
    for sentence in chosen:
        rank = rank_of[sentence.passage_id]
        for step in range(follow + 1):
            if (rank, sentence.position + step) in by_place:
                places.add((rank, sentence.position + step))
    return [by_place[place] for place in sorted(places)]


def short_quote(text: str, limit: int = 160) -> str:
    """A quote for a citation: the sentence, cut at a word with an ellipsis when long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
