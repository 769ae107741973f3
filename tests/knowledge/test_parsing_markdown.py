"""Tests for knowledge.notes.parsing: generic Markdown, front matter, dates and robustness."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.notes.parsing import ParsedSection, parse_document
from knowledge.notes.parsing.dispatch import parse_sections


def _squash(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())

# --- Generic Markdown -------------------------------------------------------------------------


def test_blank_text_gives_no_sections() -> None:
    """Empty and whitespace-only documents have no sections."""
    assert parse_document("", "a.md") == []
    assert parse_document(" \n\t\n", "a.md") == []


def test_text_without_headings_is_one_section_named_by_file() -> None:
    """Plain text is one section labelled with the file name only."""
    [section] = parse_document("그냥 메모.\n\n두 번째 문단.", "notes/memo.md")
    assert section.label == "memo.md"
    assert section.text == "그냥 메모.\n\n두 번째 문단."
    assert section.ordinal == 0


def test_atx_headings_split_sections_with_trail() -> None:
    """`#`/`##` headings give sections labelled `file · H1 › H2`; `###` stays in text."""
    text = "# 제목\n\n도입.\n\n## 첫째\n\n하나.\n\n### 세부\n\n둘.\n\n## 둘째\n\n셋."
    sections = parse_document(text, "post.md")
    assert [s.label for s in sections] == [
        "post.md · 제목",
        "post.md · 제목 › 첫째",
        "post.md · 제목 › 둘째",
    ]
    assert "### 세부" in sections[1].text
    assert [s.ordinal for s in sections] == [0, 1, 2]


def test_setext_headings_split_sections() -> None:
    """`===` and `---` underlined headings split sections like `#` and `##`."""
    text = "Title\n=====\n\nintro\n\nPart A\n------\n\nalpha\n"
    sections = parse_document(text, "x.md")
    assert [(s.title, s.text) for s in sections] == [("Title", "intro"), ("Part A", "alpha")]


def test_hash_line_in_code_fence_is_not_a_heading() -> None:
    """A `# comment` inside a fenced block does not split the section."""
    text = "# Setup\n\n```bash\n# install\npip install x\n```\n"
    [section] = parse_document(text, "x.md")
    assert section.title == "Setup"
    assert "# install" in section.text


def test_front_matter_fields_are_used_and_removed() -> None:
    """YAML front matter gives title, date, url and tags, and is not part of the text."""
    text = (
        "---\ntitle: 첫 글\ndate: 2022-09-22\nurl: https://example.com/p\n"
        "tags: [pytorch, 회고]\n---\n본문입니다.\n"
    )
    [section] = parse_document(text, "post.md")
    assert (section.title, section.date, section.url) == (
        "첫 글",
        "2022-09-22",
        "https://example.com/p",
    )
    assert section.keywords == ("pytorch", "회고")
    assert section.label == "post.md · 첫 글"
    assert section.text == "본문입니다."


def test_broken_front_matter_does_not_crash() -> None:
    """Invalid YAML in front matter is read leniently and the body still parses."""
    text = "---\ntitle: a: b: [\ntags: x, y\n---\n\n# Head\n\nbody\n"
    sections = parse_document(text, "post.md")
    assert sections[-1].text == "body"
    assert sections[-1].keywords == ("x", "y")


def test_non_mapping_front_matter_stays_content() -> None:
    """A `---` block that is not `key: value` data is kept as ordinary text."""
    sections = parse_document("---\n그냥 문장\n---\n\n내용", "n.md")
    assert "내용" in "".join(s.text for s in sections)


def test_date_in_iso_file_name() -> None:
    """`2022-09-22-my-post.md` dates its sections 2022-09-22."""
    [section] = parse_document("hello", "blog/2022-09-22-my-post.md")
    assert section.date == "2022-09-22"


def test_date_in_compact_file_name() -> None:
    """`220117_x.md` dates its sections 22.01.17, as the diaries write dates."""
    [section] = parse_document("hello", "220117_x.md")
    assert section.date == "22.01.17"


def test_h1_day_without_space() -> None:
    """`# Day6` alone makes a one-day note: day 6, label `Day6.md · Day 6`."""
    [section] = parse_document("# Day6\n\n넘파이를 배웠다.", "Day6.md")
    assert (section.day, section.day_label, section.label) == (6, "Day 6", "Day6.md · Day 6")


def test_single_dated_day_title_is_a_day_note() -> None:
    """One `# Day 3 (11/15)` title makes a day note dated 11/15, split at `##`."""
    text = "# Day 3 (11/15)\n\n## 배운 것\n\nCNN.\n"
    [section] = parse_document(text, "Week1/Day3.md")
    assert section.label == "Week1/Day3.md · Day 3 (11/15) › 배운 것"
    assert (section.day, section.date, section.week) == (3, "11/15", 1)


def test_front_matter_title_leads_heading_labels() -> None:
    """A post titled in front matter that starts at `##` labels sections `file · Title › H2`."""
    text = "---\ntitle: 회고\n---\n## 좋았던 점\n\n많다.\n"
    [section] = parse_document(text, "post.md")
    assert section.label == "post.md · 회고 › 좋았던 점"


def test_inline_weekly_journal() -> None:
    """A minimal weekly journal string gives summary and day sections."""
    text = (
        "Week 3 (11/20 ~ 11/24)\n===\n>  ##### 주간 요약\n>  요약이다.\n\n"
        "Day 11 (11/20)\n---\n본문.\n\n+ ##### 키워드: CNN, RNN\n"
    )
    sections = parse_document(text, "w.md")
    assert [s.label for s in sections] == ["Week 3 · 주간 요약", "Week 3 · Day 11 (11/20)"]
    assert sections[1].keywords == ("CNN", "RNN")
    assert sections[1].text == "본문."


def test_headings_without_body_still_give_a_section() -> None:
    """A document of headings only is kept whole rather than dropped."""
    [section] = parse_document("# 제목만\n\n## 부제만\n", "x.md")
    assert "제목만" in section.text


def test_byte_order_mark_does_not_hide_first_heading() -> None:
    """A leading BOM does not stop `# Title` on the first line from being a heading."""
    [section] = parse_document("\ufeff# 제목\n\n본문", "x.md")
    assert (section.label, section.text) == ("x.md · 제목", "본문")


def test_crlf_line_endings() -> None:
    """Windows line endings parse like Unix ones."""
    sections = parse_document("# A\r\n\r\nbody a\r\n\r\n## B\r\n\r\nbody b\r\n", "x.md")
    assert [s.text for s in sections] == ["body a", "body b"]


# --- Properties -------------------------------------------------------------------------------

_markup = st.lists(
    st.sampled_from(
        [
            *"가나 ab1.:()[]<>/\n",
            "\n\n",
            "# ",
            "## ",
            "---\n",
            "===\n",
            "```\n",
            "Day 3 (11/5)\n---\n",
            "# Day6\n",
            "Week 2\n===\n",
            ">  ##### 주간 요약\n> ",
            "+ ##### 키워드: a, b\n",
            "- [x](#x)\n",
            "<details>",
            "</details>",
            "<summary>T</summary>",
            '<div markdown="1">',
            ">Date : 22.01.17\n",
            "title: t\n",
            "\r\n",
            "\t",
        ]
    ),
    max_size=60,
).map("".join)

_plain = st.text(
    alphabet=st.sampled_from(list("가나다라마바사 abcXYZ019.,?!\n\t")),
    max_size=300,
)


def _check_sections(text: str, sections: list[ParsedSection]) -> None:
    if not text.strip():
        assert sections == []
        return
    assert sections
    assert [s.ordinal for s in sections] == list(range(len(sections)))
    assert all(s.text.strip() and s.label for s in sections)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300), path=st.sampled_from(["a.md", "Week1/Day6.md", "220117_d.md"]))
def test_property_arbitrary_text_never_raises(text: str, path: str) -> None:
    """Any string parses without error: [] if blank, else non-empty numbered sections."""
    _check_sections(text, parse_sections(text, path))
    _check_sections(text, parse_document(text, path))


@settings(max_examples=300, deadline=None)
@given(text=_markup, path=st.sampled_from(["a.md", "Week2/Day9.md", "week 1st/220117/x.md"]))
def test_property_markup_text_never_raises(text: str, path: str) -> None:
    """Markup-heavy strings mixing every layout's cues parse without error."""
    _check_sections(text, parse_sections(text, path))


@settings(max_examples=200, deadline=None)
@given(text=_plain)
def test_property_plain_text_is_fully_covered(text: str) -> None:
    """For text without markup, every non-whitespace character lands in a section."""
    sections = parse_sections(text, "note.md")
    assert _squash("".join(s.text for s in sections)) == _squash(text)
