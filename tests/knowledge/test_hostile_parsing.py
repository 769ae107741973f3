"""Parsing and chunking stay linear on hostile notes: each input is 300 KB, where a quadratic
pattern would run for many minutes instead of well under a second."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from knowledge.bench.hostile import HOSTILE
from knowledge.notes.chunking import chunk_text
from knowledge.notes.parsing import parse_document
from knowledge.notes.parsing.details_diary import diary_date
from knowledge.notes.parsing.html_tags import strip_tags, tags_of
from knowledge.notes.parsing.markdown import _atx, is_toc_line

# Generous: the linear parsers take about a second here; the quadratic ones took hours.
GUARD_SECONDS = 60


@contextmanager
def guard(seconds: int = GUARD_SECONDS) -> Iterator[None]:
    """Fail instead of hanging: the regex engine checks for signals while it backtracks."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still parsing after {seconds} s: quadratic or worse")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_note_parses_and_chunks(name: str) -> None:
    """The 300 KB hostile note parses into sections and chunks without stalling."""
    text = HOSTILE[name]
    with guard():
        sections = parse_document(text, "week1.md")
        chunks = [chunk for section in sections for chunk in chunk_text(section.text)]
    assert sections
    assert all(len(chunk.text) <= 700 for chunk in chunks)


def test_atx_heading_title_without_the_closing_run() -> None:
    """`## Title ##` is titled `Title`; a title of only hashes stays; spaces are trimmed."""
    assert _atx("## Title ##") == (2, "Title")
    assert _atx("# a" + " " * 50 + "b  ") == (1, "a" + " " * 50 + "b")
    assert _atx("# ##") == (1, "##")
    assert _atx("#a") is None
    assert _atx("####### seven") is None


def test_toc_line_needs_an_anchor_link_closing_the_line() -> None:
    """Only list items that end in a `(#anchor)` link are table-of-contents lines."""
    assert is_toc_line("- [Intro](#intro)")
    assert is_toc_line("1. [a](b)](#c)  ")
    assert not is_toc_line("- [Intro](#in tro)")
    assert not is_toc_line("- [Intro](https://example.com)")


def test_details_tags_found_in_one_line() -> None:
    """Opening, closing and summary tags are found left to right, case-insensitively."""
    line = "<DETAILS open><summary><b>T</b></summary >x</details>"
    assert [(tag.kind, tag.inner) for tag in tags_of(line)] == [
        ("open", ""),
        ("summary", "<b>T</b>"),
        ("close", ""),
    ]
    assert strip_tags("<b>T</b> <unclosed") == "T <unclosed"


def test_diary_date_from_the_first_date_line() -> None:
    """The first `Date :` line gives the date; a placeholder gives none."""
    assert diary_date("x\n\n> Date : 22.01.17  \nDate: 1", "diary.md") == "22.01.17"
    assert diary_date("Date: none\nDate: 1", "diary.md") is None
