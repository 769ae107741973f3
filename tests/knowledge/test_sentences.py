"""The one sentence rule: Korean and English ends, numbers, code and lists kept whole."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.text.sentences import sentence_ends, sentence_spans, split_sentences


def test_korean_and_english_sentence_ends() -> None:
    """`다.`, `요.`, `?`, `!` and `.` followed by a space or a line break end a sentence."""
    text = "오늘은 경사하강법을 공부했다. 생각보다 어렵지 않았어요.\n내일은? 복습! It works. Done"
    assert split_sentences(text) == [
        "오늘은 경사하강법을 공부했다.", "생각보다 어렵지 않았어요.", "내일은?", "복습!",
        "It works.", "Done",
    ]


def test_closing_quotes_and_brackets_stay_with_their_sentence() -> None:
    """A quote or bracket right after the punctuation belongs to the sentence it closes."""
    assert split_sentences('그는 "좋다." 라고 했다. (정말?) 그렇다') == [
        '그는 "좋다."', "라고 했다.", "(정말?)", "그렇다",
    ]


def test_numbers_and_versions_are_never_cut() -> None:
    """`3.14`, `v1.2.3`, `nn.Linear` and a printed array stay inside their sentences."""
    text = "pi는 3.14. 버전 v1.2.3을 썼다. nn.Linear를 쓴다. 출력은 [1. 3. 5.] 이다."
    assert split_sentences(text) == [
        "pi는 3.14.", "버전 v1.2.3을 썼다.", "nn.Linear를 쓴다.", "출력은 [1. 3. 5.] 이다.",
    ]


def test_list_numbers_and_abbreviations_are_not_ends() -> None:
    """`1. ` opening a line numbers it; `e.g.`, `i.e.`, `ex.`, `vs.` do not end sentences."""
    text = "1. 첫째 항목이다. 둘째 문장.\n  - 2. 다음 항목\n예시 e.g. 이것 vs. 저것. ex. 그것"
    assert split_sentences(text) == [
        "1. 첫째 항목이다.", "둘째 문장.", "- 2. 다음 항목", "예시 e.g. 이것 vs. 저것.",
        "ex. 그것",
    ]


def test_code_is_never_cut_and_fences_are_left_out() -> None:
    """Inline code keeps its periods; fenced code is not prose, so it yields no sentences."""
    text = "`a. b` 코드 안이다. 그리고 끝.\n```python\nx = 1. \ny = 2. z\n```\n마지막이다. 정말로"
    assert split_sentences(text) == ["`a. b` 코드 안이다.", "그리고 끝.", "마지막이다.", "정말로"]
    assert sentence_ends("```\nx. y\n```") == []


def test_a_lone_period_in_brackets_is_not_an_end() -> None:
    """`Dot(.)` names the character; it ends nothing."""
    assert split_sentences("정규식의 Dot(.) 메타 문자는 줄바꿈을 제외한다.") == [
        "정규식의 Dot(.) 메타 문자는 줄바꿈을 제외한다."
    ]


def test_spans_are_tight_and_in_order() -> None:
    """Spans slice the text exactly, without surrounding whitespace, never overlapping."""
    text = "  첫 문장이다.   둘째 문장!\n\n\n 셋째 \n"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["첫 문장이다.", "둘째 문장!", "셋째"]
    assert all(a < b <= c for (a, b), (c, _) in pairwise(spans))


def test_ends_point_just_past_the_punctuation() -> None:
    """An end offset is where the next whitespace starts, or the end of the text."""
    text = "했다. 했어요?! 끝."
    assert sentence_ends(text) == [3, 9, len(text)]


_number = st.one_of(
    st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda x: f"{x:.3f}"),
    st.lists(st.integers(0, 99), min_size=2, max_size=4).map(
        lambda parts: "v" + ".".join(map(str, parts))
    ),
)
_word = st.sampled_from(["했다.", "요.", "그리고", "값은", "is", "done.", "?", "!", "정말", "1."])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_number, _word), max_size=30), st.sampled_from([" ", "\n", "  "]))
def test_property_never_splits_inside_a_number(words: list[str], gap: str) -> None:
    """Whatever surrounds them, every number and version string survives in one sentence."""
    text = gap.join(words)
    ends = sentence_ends(text)
    cursor = 0
    for word in words:
        start = text.index(word, cursor)
        cursor = start + len(word)
        assert not any(start < end < cursor for end in ends), (word, text)
    sentences = split_sentences(text)
    for word in words:
        if word[:1].isdigit() or word.startswith("v"):
            assert any(word in sentence for sentence in sentences), (word, sentences)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from([*".?!…。\"')]( `\n가다요1a"]), max_size=300))
def test_property_spans_cover_every_prose_character(text: str) -> None:
    """Outside fences, every non-space character lies in exactly one sentence span."""
    spans = sentence_spans(text)
    covered = [False] * len(text)
    for start, end in spans:
        assert text[start:end] == text[start:end].strip() and start < end
        for i in range(start, end):
            assert not covered[i]
            covered[i] = True
    if "```" not in text:
        assert all(covered[i] for i, ch in enumerate(text) if not ch.isspace())


def test_adversarial_input_of_200_kb_finishes() -> None:
    """Long runs of terminators, backticks, list numbers and spaces are read in linear time."""
    size = 200_000
    for text in (
        "." * size + "x",
        ". " * (size // 2),
        "1. " * (size // 3),
        "`" * size,
        "`a" * (size // 2),
        " " * size + "x",
        "e.g. " * (size // 5),
        "(." * (size // 2),
        "가" * size,
    ):
        spans = sentence_spans(text)
        assert all(0 <= a < b <= len(text) for a, b in spans)
