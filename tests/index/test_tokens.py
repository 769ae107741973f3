"""Search tokens: Korean content morphemes, whole English identifiers and their parts."""

from __future__ import annotations

from index.tokens import Tokenizer


def test_korean_sentence_keeps_content_morphemes_only(tokenizer: Tokenizer) -> None:
    """Nouns and stems stay; particles and endings (은, 를, 했다) go."""
    assert tokenizer.tokens("오늘은 행렬 분해를 공부했다.") == ["오늘", "행렬", "분해", "공부"]


def test_korean_function_words_are_dropped(tokenizer: Tokenizer) -> None:
    """것, 수, 있 and the like say nothing about the topic and give no token."""
    assert tokenizer.tokens("그것은 할 수 있는 것이다") == []


def test_identifier_with_underscore_is_kept_whole_and_split(tokenizer: Tokenizer) -> None:
    """`collate_fn` is a token, and so are its parts `collate` and `fn`."""
    tokens = tokenizer.tokens("collate_fn")
    assert tokens == ["collate_fn", "collate", "fn"]


def test_dotted_identifier_is_kept_whole_and_split(tokenizer: Tokenizer) -> None:
    """`nn.Linear` is lowercased whole, then split at the dot."""
    assert tokenizer.tokens("nn.Linear")[:3] == ["nn.linear", "nn", "linear"]


def test_camel_case_identifier_is_split_at_the_capital(tokenizer: Tokenizer) -> None:
    """`BatchNorm` gives `batchnorm`, `batch` and `norm`."""
    assert tokenizer.tokens("BatchNorm") == ["batchnorm", "batch", "norm"]


def test_particle_glued_to_an_identifier_is_not_a_token(tokenizer: Tokenizer) -> None:
    """`collate_fn은`: the identifier survives whole and the particle 은 leaves nothing."""
    assert tokenizer.tokens("collate_fn은") == ["collate_fn", "collate", "fn"]


def test_mixed_question_keeps_both_languages(tokenizer: Tokenizer) -> None:
    """A Korean question about English identifiers keeps the identifiers and the Korean noun."""
    tokens = tokenizer.tokens("DataLoader에서 collate_fn은 무슨 역할을 해?")
    assert {"dataloader", "collate_fn", "역할"} <= set(tokens)
    assert not {"에서", "은", "을", "해"} & set(tokens)


def test_english_stop_words_are_dropped(tokenizer: Tokenizer) -> None:
    """`the`, `of`, `this` carry no topic and give no token."""
    assert tokenizer.tokens("the recommendations of this model") == ["recommendation", "model"]


def test_plural_is_stripped_lightly(tokenizer: Tokenizer) -> None:
    """`recommendations` meets `recommendation`; `class` keeps its double s."""
    assert tokenizer.tokens("recommendations") == ["recommendation"]
    assert tokenizer.tokens("class") == ["class"]


def test_repeated_words_are_kept(tokenizer: Tokenizer) -> None:
    """BM25 counts repeats, so they are not collapsed."""
    assert tokenizer.tokens("loss loss") == ["loss", "loss"]


def test_positions_point_at_each_token_in_the_text(tokenizer: Tokenizer) -> None:
    """Each token comes with its offset in the text (an identifier's parts share its offset)."""
    text = "오늘은 nn.Linear 계층을 공부했다"
    positioned = tokenizer.positioned_tokens(text)
    assert sorted(positioned, key=lambda pair: pair[1]) == [
        ("오늘", 0), ("nn.linear", 4), ("nn", 4), ("linear", 4), ("계층", 14), ("공부", 18),
    ]


def test_text_without_hangul_or_letters_gives_no_tokens(tokenizer: Tokenizer) -> None:
    """Punctuation and emoji alone give nothing to search for."""
    assert tokenizer.tokens("?! … 🙂") == []
