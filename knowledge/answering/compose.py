"""Extractive answers: the sentences of the best passages that cover the question best."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.text.sentences import sentence_spans

# What is left of a line that is only Markdown (a bullet, a quote mark, a table rule).
_MARKUP = re.compile(r"^[\s>*+\-#|]+|[`]{3}.*$")

# Extract v2 (measured out of corpus, see the README): the body shows the 2 best sentences of
# the top day's 3 best passages, each with 1 sentence before and 2 after; the glossary's words
# count at half their idf.
BODY_SENTENCES = 2
BODY_BEFORE = 1
BODY_AFTER = 2
BODY_PASSAGES = 3
EXPANSION_SHARE = 0.5
# Extract v3 (LOCO evidence 0.638 -> 0.667 mean, body 234 -> 281 characters): the sentence
# of those passages nearest the question in meaning joins the body; shorter ones are fragments.
MIN_CLOSEST = 8
# The quotes of the cited days after the first: nearest in meaning over the day's passages,
# the share of the question's words weighing a tenth (any share from 0.05 to 0.25 gave the
# same quotes on four corpora and more reference quotes on the fifth, hongsusoo: 0.594 ->
# 0.625 in `make eval`).
QUOTE_WORD_SHARE = 0.1


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


def rank_sentences(
    passages: list[tuple[int, str]],
    weight_of: Callable[[str], Collection[str]],
    query_weights: dict[str, float],
) -> list[tuple[float, Sentence]]:
    """Every sentence of the passages with its share of the question's weight, best first.

    Earlier passages are better ranked, so a small nudge keeps their sentences ahead, and
    within a passage an earlier sentence wins a tie.
    """
    candidates: list[tuple[float, Sentence]] = []
    total = sum(query_weights.values()) or 1.0
    for rank, (passage_id, text) in enumerate(passages):
        for position, line in enumerate(split_sentences(text)):
            tokens = weight_of(line)
            covered = sum(w for t, w in query_weights.items() if t in tokens) / total
            candidates.append(
                (covered - 0.05 * rank - 0.001 * position, Sentence(line, passage_id, position))
            )
    candidates.sort(key=lambda item: -item[0])
    return candidates


def pick_sentences(
    passages: list[tuple[int, str]],
    weight_of: Callable[[str], Collection[str]],
    query_weights: dict[str, float],
    *,
    limit: int = 2,
    before: int = 0,
    follow: int = 2,
) -> list[Sentence]:
    """The sentences that cover the most question weight, each with `before` sentences
    before it and `follow` after it.

    `weight_of` maps a sentence to its tokens; `query_weights` holds the question's words with
    their idf. The sentence that repeats the question's words often only sets the scene
    ("AUC was fine but recall was low"); the answer tends to come right after it, or right
    before it, so each chosen sentence brings its neighbours. Returned in reading order,
    without repeats.
    """
    candidates = rank_sentences(passages, weight_of, query_weights)
    if not candidates:
        return []
    # A second pick only when it adds a fair share of the question on its own.
    floor = candidates[0][0] * 0.5
    chosen = [s for score, s in candidates[:limit] if score >= floor or s is candidates[0][1]]
    lines = {pid: split_sentences(text) for pid, text in passages}
    rank_of = {pid: rank for rank, (pid, _) in enumerate(passages)}
    places: set[tuple[int, int]] = set()
    for sentence in chosen:
        count = len(lines[sentence.passage_id])
        for position in range(sentence.position - before, sentence.position + follow + 1):
            if 0 <= position < count:
                places.add((rank_of[sentence.passage_id], position))
    order = [pid for pid, _ in passages]
    return [
        Sentence(lines[order[rank]][position], order[rank], position)
        for rank, position in sorted(places)
    ]


@dataclass(frozen=True)
class Extract:
    """The shown text of a passage answer: the body and one quote per cited day."""

    body: str
    quotes: list[str]


def extract_weights(
    known: dict[str, float], expansions: dict[str, float], share: float = EXPANSION_SHARE
) -> dict[str, float]:
    """The question's words with their idf, and the glossary's words at `share` of theirs.

    An English question over Korean notes shares few of its own words with the answer; the
    glossary's Korean words find the sentence, at a lower weight than the question's own.
    """
    weights = dict(known)
    for token, idf in expansions.items():
        if idf > 0 and token not in weights:
            weights[token] = share * idf
    return weights


def _sentence_cosines(
    passages: list[tuple[int, str]], vectors: dict[int, np.ndarray], query_vector: np.ndarray
) -> list[tuple[float, int, Sentence]]:
    """Each sentence of the passages with its cosine to the question and its passage's rank;
    fragments (under MIN_CLOSEST characters) and passages without matching vectors left out.
    The vectors hold one row per distinct sentence, as stored at ingest."""
    out: list[tuple[float, int, Sentence]] = []
    for rank, (passage_id, text) in enumerate(passages):
        lines = split_sentences(text)
        distinct = list(dict.fromkeys(lines))
        matrix = vectors.get(passage_id)
        if matrix is None or len(matrix) != len(distinct):
            continue  # stored by another version of the splitter
        cosines = dict(zip(distinct, (matrix @ query_vector).tolist(), strict=True))
        out.extend((cosines[line], rank, Sentence(line, passage_id, position))
                   for position, line in enumerate(lines)
                   if len(" ".join(line.split())) >= MIN_CLOSEST)
    return out


def nearest_sentences(
    passages: list[tuple[int, str]], vectors: dict[int, np.ndarray], query_vector: np.ndarray
) -> list[Sentence]:
    """The sentences of the passages, nearest the question in meaning first (sentence
    vectors), without fragments; a passage without its vectors gives none."""
    scored = _sentence_cosines(passages, vectors, query_vector)
    scored.sort(key=lambda item: -item[0])
    return [sentence for _, _, sentence in scored]


def meaning_quote(
    passages: list[tuple[int, str]],
    vectors: dict[int, np.ndarray],
    query_vector: np.ndarray,
    weight_of: Callable[[str], Collection[str]],
    weights: dict[str, float],
) -> str | None:
    """The quote of a cited day after the first: the sentence of its passages nearest the
    question in meaning, its share of the question's words (at QUOTE_WORD_SHARE) breaking
    near ties, earlier passages and sentences ahead on a tie; None without vectors."""
    total = sum(weights.values()) or 1.0
    best: tuple[float, Sentence] | None = None
    for cosine, rank, sentence in _sentence_cosines(passages, vectors, query_vector):
        tokens = weight_of(sentence.text)
        covered = sum(w for t, w in weights.items() if t in tokens) / total
        score = (cosine + QUOTE_WORD_SHARE * covered
                 - 0.005 * rank - 0.0001 * sentence.position)
        if best is None or score > best[0]:
            best = (score, sentence)
    return short_quote(best[1].text) if best else None


def compose_extract(
    top: list[tuple[int, str]],
    cited: list[tuple[int, str]],
    weight_of: Callable[[str], Collection[str]],
    weights: dict[str, float],
    nearest: Sequence[Sentence] = (),
) -> Extract:
    """Extract v3: the body from the top day's best passages, a quote per cited passage.

    The body holds the BODY_SENTENCES best sentences of `top` (the top day's best passages),
    each with BODY_BEFORE sentences before and BODY_AFTER after it, and the sentence nearest
    in meaning (`nearest`, from nearest_sentences) that these do not already show: a
    paraphrase shares few words with the sentence that answers it. Each of `cited` (the first
    passage of each
    cited day) gives its best sentence as the quote; the first day's quote is the best
    sentence the body does not already show, so it adds what the body missed.
    """
    chosen = pick_sentences(top, weight_of, weights, limit=BODY_SENTENCES,
                            before=BODY_BEFORE, follow=BODY_AFTER)
    picked = {s.text for s in chosen}
    closest = next((s for s in nearest if s.text not in picked), None)
    if closest is not None:
        order = [pid for pid, _ in top]
        chosen = sorted([*chosen, closest],
                        key=lambda s: (order.index(s.passage_id), s.position))
    body = " ".join(s.text for s in chosen) or (top[0][1][:400] if top else "")
    shown = {s.text for s in chosen}
    quotes = []
    for number, (pid, text) in enumerate(cited):
        ranked = [s for _, s in rank_sentences([(pid, text)], weight_of, weights)]
        fresh = [s for s in ranked if s.text not in shown] if number == 0 else ranked
        best = (fresh or ranked)[:1]
        quotes.append(short_quote(best[0].text if best else text[:160]))
    return Extract(body, quotes)


def short_quote(text: str, limit: int = 160) -> str:
    """A quote for a citation: the sentence, cut at a word with an ellipsis when long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
