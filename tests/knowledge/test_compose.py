"""The extract: which sentences of the best passages a person is shown."""

from __future__ import annotations

import numpy as np

from knowledge.answering.compose import (
    compose_extract,
    extract_weights,
    meaning_quote,
    nearest_sentences,
    pick_sentences,
    rank_sentences,
)


def words(sentence: str) -> set[str]:
    """A tokenizer good enough for these tests: lowercase words without punctuation."""
    return {w.strip(".,?!").lower() for w in sentence.split()}


PASSAGE = (
    "Day 8 began with a quiz. The batch size was 64 in the end. "
    "We asked about the batch size in class. It was fine. Then lunch. Later we rested."
)


def test_pick_sentences_brings_one_sentence_before_and_two_after() -> None:
    """The answer often sits right before the sentence that repeats the question's words."""
    chosen = pick_sentences([(1, PASSAGE)], words, {"asked": 1.0, "class": 1.0},
                            limit=1, before=1, follow=2)
    assert [s.text for s in chosen] == [
        "The batch size was 64 in the end.",
        "We asked about the batch size in class.",
        "It was fine.",
        "Then lunch.",
    ]


def test_pick_sentences_without_before_keeps_the_old_window() -> None:
    """before=0 is the earlier extract: the pick and the two sentences after it."""
    chosen = pick_sentences([(1, PASSAGE)], words, {"asked": 1.0}, limit=1)
    assert [s.position for s in chosen] == [2, 3, 4]


def test_rank_sentences_prefers_the_better_ranked_passage_on_a_tie() -> None:
    """A sentence of the first passage wins over an equal one of the second."""
    ranked = rank_sentences([(1, "Adam is used."), (2, "Adam is used too.")], words,
                            {"adam": 1.0})
    assert [s.passage_id for _, s in ranked] == [1, 2]


def test_extract_weights_count_glossary_words_at_half_their_idf() -> None:
    """Expansions help find the sentence, but weigh less than the question's own words."""
    weights = extract_weights({"batch": 2.0}, {"배치": 3.0, "batch": 9.0, "없는": 0.0})
    assert weights == {"batch": 2.0, "배치": 1.5}


def test_first_quote_is_the_best_sentence_not_already_in_the_body() -> None:
    """The first citation adds what the body missed instead of repeating it."""
    top = [(1, "Alpha beta gamma. Filler one. Filler two. Filler three.")]
    cited = [(1, top[0][1] + " Alpha again here.")]
    extract = compose_extract(top, cited, words, {"alpha": 1.0, "beta": 1.0, "gamma": 1.0})
    assert extract.body.startswith("Alpha beta gamma.")
    assert extract.quotes == ["Alpha again here."]


def test_later_quotes_are_their_days_best_sentence() -> None:
    """Only the first quote avoids the body (when the body shows all of its passage, it
    quotes the best sentence all the same); the others quote their own best sentence."""
    top = [(1, "Alpha beta. Filler.")]
    cited = [(1, "Alpha beta. Filler."), (2, "Nothing. Alpha beta here.")]
    extract = compose_extract(top, cited, words, {"alpha": 1.0, "beta": 1.0})
    assert extract.quotes == ["Alpha beta.", "Alpha beta here."]


def test_nearest_sentences_rank_by_meaning_and_skip_fragments() -> None:
    """Sentence vectors (one row per distinct sentence) order the sentences by cosine with
    the question; fragments and passages stored without matching vectors give none."""
    text = "Short. The loss went down a lot. Nothing else happened today."
    rows = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], dtype=np.float32)
    nearest = nearest_sentences([(1, text), (2, "Other passage here.")],
                                {1: rows, 2: rows}, np.array([0.0, 1.0], dtype=np.float32))
    assert [s.text for s in nearest] == ["Nothing else happened today.",
                                         "The loss went down a lot."]
    assert [s.position for s in nearest] == [2, 1]


def test_the_nearest_sentence_not_shown_joins_the_body_in_reading_order() -> None:
    """A paraphrase shares few words with its answer: the body adds the sentence nearest in
    meaning that the words did not pick, where it stands in the passage."""
    text = ("Alpha beta gamma. Filler one. Filler two. Filler three. Filler four. "
            "The answer is forty two.")
    chosen = compose_extract([(1, text)], [(1, text)], words, {"alpha": 1.0})
    assert "forty two" not in chosen.body
    sentences = nearest_sentences([(1, text)], {1: np.eye(6, dtype=np.float32)},
                                  np.eye(6, dtype=np.float32)[5])
    extract = compose_extract([(1, text)], [(1, text)], words, {"alpha": 1.0}, sentences)
    assert extract.body == ("Alpha beta gamma. Filler one. Filler two. "
                            "The answer is forty two.")


def test_a_later_days_quote_is_its_sentence_nearest_in_meaning() -> None:
    """The quote of a cited day after the first comes from any of its passages, nearest the
    question in meaning; its words only break near ties; no vectors, no quote."""
    day = [(1, "Alpha beta here. Filler text one."), (2, "The real answer is here.")]
    vectors = {1: np.array([[0.0, 1.0], [0.1, 0.99]], dtype=np.float32),
               2: np.array([[1.0, 0.0]], dtype=np.float32)}
    question = np.array([0.8, 0.6], dtype=np.float32)
    weights = {"alpha": 1.0, "beta": 1.0}
    assert meaning_quote(day, vectors, question, words, weights) == "The real answer is here."
    tie = {1: vectors[1], 2: np.array([[0.0, 1.0]], dtype=np.float32)}
    assert meaning_quote(day, tie, question, words, weights) == "Alpha beta here."
    assert meaning_quote(day, {}, question, words, weights) is None
