"""Tests for knowledge.notes.chunking: paragraph packing, sentence splits, code fences, coverage."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.notes.chunking import Chunk, chunk_text


def _squash(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def _assert_valid(text: str, chunks: list[Chunk], max_chars: int) -> None:
    previous_end = 0
    for chunk in chunks:
        assert chunk.text
        assert chunk.text == text[chunk.start : chunk.end].strip()
        assert chunk.text == text[chunk.start : chunk.end]
        assert len(chunk.text) <= max_chars
        assert chunk.start >= previous_end
        previous_end = chunk.end
    assert _squash("".join(text[c.start : c.end] for c in chunks)) == _squash(text)


def test_blank_text_gives_no_chunks() -> None:
    """Empty and whitespace-only text yields no chunks."""
    assert chunk_text("") == []
    assert chunk_text(" \n\n\t  \n") == []


def test_short_text_is_one_chunk() -> None:
    """A short text is one chunk with its surrounding whitespace trimmed."""
    text = "\n\n  오늘은 PyTorch를 배웠다.  \n"
    [chunk] = chunk_text(text)
    assert chunk.text == "오늘은 PyTorch를 배웠다."
    assert text[chunk.start : chunk.end] == chunk.text


def test_paragraphs_are_packed_up_to_the_limit() -> None:
    """Consecutive paragraphs share a chunk while they fit, and start a new one when not."""
    paragraphs = ["가" * 30, "나" * 30, "다" * 30]
    text = "\n\n".join(paragraphs)
    chunks = chunk_text(text, max_chars=70)
    assert [c.text for c in chunks] == [f"{'가' * 30}\n\n{'나' * 30}", "다" * 30]


def test_paragraph_boundaries_are_never_cut_inside_when_they_fit() -> None:
    """Every chunk boundary falls on a paragraph boundary when each paragraph fits."""
    paragraphs = [f"문단 {i} 내용입니다." for i in range(40)]
    text = "\n\n".join(paragraphs)
    for chunk in chunk_text(text, max_chars=60):
        assert all(p in paragraphs for p in chunk.text.split("\n\n"))


def test_long_paragraph_splits_at_korean_sentence_ends() -> None:
    """A paragraph over the limit is cut after `다.` / `요.` sentence ends, not mid-sentence."""
    sentences = [
        "오늘은 경사하강법을 공부했다.",
        "생각보다 어렵지 않았어요.",
        "내일은 복습을 해야겠다.",
    ]
    text = " ".join(sentences * 4)
    chunks = chunk_text(text, max_chars=40)
    _assert_valid(text, chunks, 40)
    assert all(c.text.endswith(("다.", "요.")) for c in chunks)


def test_long_line_block_splits_at_line_ends() -> None:
    """Without sentence punctuation a long paragraph is cut at line ends."""
    lines = [f"항목 {i} 설명 없음" for i in range(20)]
    text = "\n".join(lines)
    chunks = chunk_text(text, max_chars=50)
    _assert_valid(text, chunks, 50)
    for chunk in chunks:
        assert all(line in lines for line in chunk.text.split("\n"))


def test_unbreakable_text_is_hard_cut() -> None:
    """A run with no space or punctuation is cut at exactly `max_chars`."""
    text = "가" * 25
    chunks = chunk_text(text, max_chars=10)
    assert [len(c.text) for c in chunks] == [10, 10, 5]
    _assert_valid(text, chunks, 10)


def test_code_fence_with_blank_lines_stays_whole() -> None:
    """A code fence that fits is never split at the blank lines inside it."""
    code = "```python\nimport torch\n\n\nx = torch.ones(3)\n\nprint(x)\n```"
    text = f"{'설명 ' * 10}\n\n{code}\n\n{'마무리 ' * 10}"
    chunks = chunk_text(text, max_chars=len(code) + 5)
    assert code in [c.text for c in chunks]


def test_oversized_code_fence_splits_at_line_ends() -> None:
    """A code fence longer than the limit is split between its lines."""
    body = "\n".join(f"x{i} = {i}  # 값" for i in range(30))
    text = f"```\n{body}\n```"
    chunks = chunk_text(text, max_chars=60)
    _assert_valid(text, chunks, 60)
    source_lines = set(text.split("\n"))
    for chunk in chunks:
        assert all(
            line.strip() in {s.strip() for s in source_lines} for line in chunk.text.split("\n")
        )


def test_offsets_point_into_the_text() -> None:
    """Each chunk's offsets slice exactly its text out of the section text."""
    text = "첫 문단.\n\n두 번째 문단.\n\n세 번째 문단."
    for chunk in chunk_text(text, max_chars=12):
        assert text[chunk.start : chunk.end] == chunk.text


def test_non_positive_limit_is_rejected() -> None:
    """A limit below one character is a caller error."""
    with pytest.raises(ValueError):
        chunk_text("text", max_chars=0)


_markdownish = st.lists(
    st.sampled_from([*"가나다 ab.?!\n`~#-*>요", "\n\n", "```", "```py\n", "다. ", "\u3000", "\t"]),
    max_size=200,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=500), max_chars=st.integers(min_value=1, max_value=120))
def test_property_any_text_chunks_validly(text: str, max_chars: int) -> None:
    """For arbitrary text: no error, chunks within the limit, in order, covering everything."""
    _assert_valid(text, chunk_text(text, max_chars), max_chars)


@settings(max_examples=300, deadline=None)
@given(text=_markdownish, max_chars=st.integers(min_value=1, max_value=80))
def test_property_markdownish_text_chunks_validly(text: str, max_chars: int) -> None:
    """For Markdown-like text with fences and sentences: the same guarantees hold."""
    _assert_valid(text, chunk_text(text, max_chars), max_chars)
