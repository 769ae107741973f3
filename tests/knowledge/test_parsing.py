"""Tests for knowledge.notes.parsing: the three journal layouts of the shared corpora."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from knowledge.notes.parsing import ParsedSection, parse_document

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
