"""`sunbae bench`: what one new note costs a big BM25 index, its next search included."""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from index.lexical import BM25Index

NOTE_PASSAGES = 20


def zipf_sentences(count: int = 20_000, vocabulary: int = 50_000,
                   seed: int = 0) -> list[list[str]]:
    """Synthetic sentences of 4-12 words drawn with Zipf frequencies, as real words are."""
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(vocabulary)]
    lengths = rng.integers(4, 13, count)
    ranks = (rng.zipf(1.2, int(lengths.sum())) - 1) % vocabulary
    out: list[list[str]] = []
    at = 0
    for length in lengths.tolist():
        out.append([words[r] for r in ranks[at : at + length].tolist()])
        at += length
    return out


def passages_from(sentences: list[list[str]], count: int, seed: int = 0) -> list[list[str]]:
    """`count` passages of 2-4 recombined sentences, as `scale.generate` makes its tokens."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(sentences), (count, 4))
    lengths = rng.integers(2, 5, count)
    return [[t for j in picks[i, : lengths[i]] for t in sentences[j]] for i in range(count)]


def bm25_update_ms(passages: int = 1_000_000, sentences: list[list[str]] | None = None,
                   rounds: int = 9) -> float:
    """Milliseconds to add one 20-passage note to a BM25 index of `passages` and search it next.

    The median of `rounds` notes, each added with new ids after the bulk load (the rounds
    include the merge of the small segments the notes leave). `sentences` are real sentence
    tokens to recombine (as `scale.py` does); without them, Zipf-distributed synthetic words.
    """
    pool = sentences or zipf_sentences()
    index = BM25Index()
    index.add_many(list(range(passages)), passages_from(pool, passages))
    index.search(pool[0], 1)
    notes = passages_from(pool, rounds * NOTE_PASSAGES, seed=1)
    rng = np.random.default_rng(2)
    times: list[float] = []
    for round_ in range(rounds):
        note = notes[round_ * NOTE_PASSAGES : (round_ + 1) * NOTE_PASSAGES]
        question = [str(t) for t in rng.choice(note[0], size=min(4, len(note[0])), replace=False)]
        started = time.perf_counter()
        for offset, tokens in enumerate(note):
            index.add(passages + round_ * NOTE_PASSAGES + offset, tokens)
        index.search(question, 100)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(f"one {NOTE_PASSAGES}-passage note + next search at {size:,} passages: "
          f"{bm25_update_ms(size)} ms")
