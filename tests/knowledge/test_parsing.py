"""Tests for knowledge.notes.parsing: the three journal layouts, generic Markdown and robustness."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.notes.parsing import ParsedSection, parse_document
from knowledge.notes.parsing.dispatch import parse_sections

CORPUS = Path(__file__).parents[3] / "shared" / "corpus"
TOC_LINE = re.compile(r"^\s*(?:[-+*]|\d+[.)])\s+\[.*\]\(#[^)\s]*\)\s*$")


def _author(name: str) -> Path:
    folder = CORPUS / name
    if not folder.is_dir():
        pytest.skip(f"corpus folder {folder} is not available")
    return folder


@cache
def _parsed(name: str, relative: str) -> tuple[ParsedSection, ...]:
    path = _author(name) / relative
    return tuple(parse_document(path.read_text(encoding="utf-8"), relative))


def _all(name: str, pattern: str = "**/*.md") -> dict[str, tuple[ParsedSection, ...]]:
    folder = _author(name)
    return {
        p.relative_to(folder).as_posix(): _parsed(name, p.relative_to(folder).as_posix())
        for p in sorted(folder.glob(pattern))
    }


def _by_label(sections: tuple[ParsedSection, ...]) -> dict[str, ParsedSection]:
    return {s.label: s for s in sections}


def _squash(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


# --- Weekly journals (juniork725) -------------------------------------------------------------


def test_weekly_days_have_numbers_dates_and_week() -> None:
    """week2.md gives Day 6..Day 10 dated 11/13..11/17, all in week 2."""
    days = [s for s in _parsed("juniork725", "week2.md") if s.day is not None]
    assert [s.day_label for s in days] == [f"Day {n}" for n in range(6, 11)]
    assert [s.date for s in days] == ["11/13", "11/14", "11/15", "11/16", "11/17"]
    assert {s.week for s in days} == {2}


def test_weekly_day_label_names_week_day_and_date() -> None:
    """The citation label of Day 8 is `Week 2 · Day 8 (11/15)`."""
    day8 = _by_label(_parsed("juniork725", "week2.md"))["Week 2 · Day 8 (11/15)"]
    assert day8.day == 8
    assert "두런두런" in day8.text


def test_weekly_keywords_come_from_the_keyword_line() -> None:
    """Day 6's `+ ##### 키워드:` line becomes its keywords."""
    day6 = next(s for s in _parsed("juniork725", "week2.md") if s.day == 6)
    assert day6.keywords == ("Contiguous", "Backward Method", "Hook")


def test_weekly_keyword_line_is_removed_from_text() -> None:
    """No weekly section keeps a `키워드:` line in its text."""
    for sections in _all("juniork725", "week*.md").values():
        for section in sections:
            assert "키워드" not in section.text, section.label


def test_weekly_unprefixed_keyword_line_is_read_as_keywords() -> None:
    """Weeks whose last line is `+ ##### A, B` (no 키워드: prefix) still yield keywords."""
    day63 = next(s for s in _parsed("juniork725", "week14.md") if s.day == 63)
    assert day63.keywords == ("베이스라인 구축", "Valid-LB align")
    assert "#####" not in day63.text


def test_weekly_summary_is_its_own_section() -> None:
    """The quoted `##### 주간 요약` block becomes `Week 2 · 주간 요약` without quote marks."""
    summary = _by_label(_parsed("juniork725", "week2.md"))["Week 2 · 주간 요약"]
    assert summary.week == 2
    assert summary.day is None
    assert summary.text.startswith("PyTorch 활용법에 대해 배우고")
    assert ">" not in summary.text and "#####" not in summary.text


def test_weekly_question_count_lines_stay_in_text() -> None:
    """`> 오늘의 질문 횟수: N` lines are content and stay in the day's text."""
    day11 = next(s for s in _parsed("juniork725", "week3.md") if s.day == 11)
    assert "오늘의 질문 횟수: 3" in day11.text


def test_weekly_code_fence_stays_in_day_text() -> None:
    """The fenced example in Day 6 is part of that day's text."""
    day6 = next(s for s in _parsed("juniork725", "week2.md") if s.day == 6)
    assert "```\ntensor[0][0][0]" in day6.text


def test_all_weekly_files_give_days_1_to_100() -> None:
    """The 22 weekly files yield 100 distinct day labels, Day 1 to Day 100."""
    weekly = _all("juniork725", "week*.md")
    assert len(weekly) == 22
    days = [s for sections in weekly.values() for s in sections if s.day is not None]
    assert sorted(s.day for s in days) == list(range(1, 101))
    assert {s.day_label for s in days} == {f"Day {n}" for n in range(1, 101)}
    assert len({s.label for s in days}) == 100


def test_every_weekly_file_has_a_summary() -> None:
    """Each weekly file yields exactly one `주간 요약` section with its week number."""
    for relative, sections in _all("juniork725", "week*.md").items():
        summaries = [s for s in sections if s.label.endswith("주간 요약")]
        week = int(re.search(r"\d+", relative).group())  # type: ignore[union-attr]
        assert [s.week for s in summaries] == [week], relative


def test_file_without_days_falls_back_to_whole_file() -> None:
    """dkt_solution.md (no days, no headings) is one section labelled by its file name."""
    [section] = _parsed("juniork725", "dkt_solution.md")
    assert section.label == "dkt_solution.md"
    assert section.day is None
    assert "Ranking Ensemble" in section.text


# --- One file per day (peter-shlee) -----------------------------------------------------------


def test_day_notes_label_uses_path_and_normalised_title() -> None:
    """`# Day6 - Numpy / 벡터 / 행렬` in Week2/Day6.md labels every section with path and day."""
    sections = _parsed("peter-shlee", "Week2/Day6.md")
    prefix = "Week2/Day6.md · Day 6 - Numpy / 벡터 / 행렬"
    assert all(s.label.startswith(prefix) for s in sections)
    assert {(s.day, s.day_label, s.week) for s in sections} == {(6, "Day 6", 2)}


def test_day_notes_subsections_split_at_h2() -> None:
    """Each `##` heading gives a section labelled `… › Subheading`; `###` stays inside."""
    labels = [s.label for s in _parsed("peter-shlee", "Week2/Day6.md")]
    assert "Week2/Day6.md · Day 6 - Numpy / 벡터 / 행렬 › 벡터" in labels
    assert not any("벡터란?" in label for label in labels)


def test_day_notes_repeated_day_in_title_is_collapsed() -> None:
    """`# Day9 - Day 9 - Pandas II / 확률론` is cited as `Day 9 - Pandas II / 확률론`."""
    sections = _parsed("peter-shlee", "Week2/Day9.md")
    assert sections[0].label.startswith("Week2/Day9.md · Day 9 - Pandas II / 확률론")


def test_day_notes_day_number_matches_file_name() -> None:
    """Every DayN.md parses with day N on all its sections."""
    for relative, sections in _all("peter-shlee", "*/Day*.md").items():
        number = int(re.search(r"Day(\d+)\.md$", relative).group(1))  # type: ignore[union-attr]
        assert {s.day for s in sections} == {number}, relative


def test_day_notes_stage_folders_have_no_week() -> None:
    """P-Stage-1/Day1.md has no week (its days restart) and its path in the label."""
    sections = _parsed("peter-shlee", "P-Stage-1/Day1.md")
    assert {s.week for s in sections} == {None}
    assert sections[0].label.startswith("P-Stage-1/Day1.md · Day 1 - EDA")


def test_day_notes_drop_table_of_contents() -> None:
    """No section in any peter-shlee file keeps a TOC line of anchor links."""
    for relative, sections in _all("peter-shlee").items():
        for section in sections:
            toc = [line for line in section.text.split("\n") if TOC_LINE.match(line)]
            assert not toc, (relative, section.label)


def test_day_notes_toc_only_section_is_dropped() -> None:
    """A `## 목차` heading holding only the TOC does not become a section."""
    labels = [s.label for s in _parsed("peter-shlee", "Week1/Day3.md")]
    assert not any(label.endswith("› 목차") for label in labels)


def test_day_notes_ignore_hash_lines_in_code_fences() -> None:
    """`  # 이 함수는 generator를 리턴함` inside a fence stays code, not a heading."""
    sections = _parsed("peter-shlee", "Week1/Day3.md")
    assert not any("generator를 리턴함" in s.label for s in sections)
    assert any("# 이 함수는 generator를 리턴함" in s.text for s in sections)


def test_day_notes_title_only_stub_keeps_its_day_label() -> None:
    """Week6/Day28.md, only an H1, is still one section under its day label."""
    [section] = _parsed("peter-shlee", "Week6/Day28.md")
    assert section.label.startswith("Week6/Day28.md · Day 28 - ")
    assert section.day == 28


def test_index_readmes_parse_into_sections() -> None:
    """The index READMEs (lists of links) give at least one section each."""
    for relative, sections in _all("peter-shlee", "**/README.md").items():
        assert sections, relative
        assert all(s.text.strip() for s in sections), relative


# --- Details diaries (taehakim) ---------------------------------------------------------------

DIARY = "week 1st/220117/220117_Diary.md"


def test_diary_label_names_file_date_and_summary() -> None:
    """A `<details>` block is labelled `220117_Diary.md · 22.01.17 · <summary>`."""
    labels = _by_label(_parsed("taehakim", DIARY))
    section = labels["220117_Diary.md · 22.01.17 · 오늘 들은 강의 총평 및 나의 감상"]
    assert section.date == "22.01.17"
    assert section.title == "오늘 들은 강의 총평 및 나의 감상"


def test_diary_keeps_writing_specification() -> None:
    """The `Writing Specification` block is kept as a section."""
    labels = _by_label(_parsed("taehakim", DIARY))
    assert ">Date : 22.01.17" in labels["220117_Diary.md · 22.01.17 · Writing Specification"].text


def test_diary_strips_html_wrappers() -> None:
    """No diary section text keeps `<details>`, `<summary>` or `<div markdown>` wrappers."""
    for sections in _all("taehakim", "week */*/*.md").values():
        for section in sections:
            assert not re.search(r"</?(details|summary|div)\b", section.text), section.label


def test_diary_without_date_takes_it_from_the_path() -> None:
    """`Date : None` (220321) and an empty `Date :` (220316) fall back to the folder's date."""
    assert {s.date for s in _parsed("taehakim", "week 10th/220321/220321_Diary.md")} == {"22.03.21"}
    assert {s.date for s in _parsed("taehakim", "week 9th/220316/220316_Diary.md")} == {"22.03.16"}


def test_diary_path_date_wins_over_stale_date_line() -> None:
    """220119's template still says `Date : 22.01.18`; the folder's 22.01.19 is used."""
    sections = _parsed("taehakim", "week 1st/220119/220119_Diary.md")
    assert {s.date for s in sections} == {"22.01.19"}


def test_diary_nested_blocks_carry_their_parents() -> None:
    """A block nested in `강의 내용` is labelled `… · 강의 내용 › Pytorch Basics`."""
    labels = _by_label(_parsed("taehakim", "week 2nd/220124/220124_Diary.md"))
    section = labels["220124_Diary.md · 22.01.24 · 강의 내용 › Pytorch Basics"]
    assert section.title == "Pytorch Basics"


def test_diary_placeholder_blocks_are_dropped() -> None:
    """Blocks holding only the template's `여기다 적어` are not sections."""
    for sections in _all("taehakim", "week */*/*.md").values():
        assert all(s.text != "여기다 적어" for s in sections)


def test_diary_week_comes_from_folder() -> None:
    """`week 1st/` gives week 1 and no day number."""
    assert {(s.week, s.day) for s in _parsed("taehakim", DIARY)} == {(1, None)}


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
