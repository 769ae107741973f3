"""Tests for the shipped curated answer files and their reader/writer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.curation import files as curated_files
from knowledge.curation.files import (
    CuratedFile,
    dump_curated_file,
    load_curated_dir,
    parse_cite,
    read_curated_file,
    shipped_curated_dir,
)
from knowledge.errors import CuratedFileError

# CI lays shared/ beside the clone, just as the work tree sits beside /work/shared.
CORPUS_DIR = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "juniork725"
SAMPLE_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "resources" / "sample"
USER_NAMED = ("collate-fn", "backward-hooks", "resize-centercrop")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")

SHIPPED = load_curated_dir(shipped_curated_dir())
BY_ID = {item.id: item for item in SHIPPED}

VALID_FRONT = """---
id: {id}
question: 질문인가요?
paraphrases:
  - 질문
  - question
cites:
  - week2.md · Day 8
author: sunbae-maintainers
tags: [pytorch]
---
"""


def _write(folder: Path, stem: str, text: str) -> Path:
    """Write text to folder/stem.md and return the path."""
    path = folder / f"{stem}.md"
    path.write_text(text, encoding="utf-8")
    return path


def _has_day_section(text: str, day: str) -> bool:
    """True when a journal text has a heading line like 'Day 8 (11/15)'."""
    return re.search(rf"^{re.escape(day)} \(", text, re.MULTILINE) is not None


def _cited_days(source: str) -> list[tuple[str, str]]:
    """Every (answer id, day) pair whose cite names the given journal file."""
    return [
        (item.id, day)
        for item in SHIPPED
        for file_name, day in map(parse_cite, item.cites)
        if file_name == source
    ]


def test_shipped_folder_is_inside_the_package() -> None:
    """The shipped folder is knowledge/resources/curated, inside the package."""
    package = Path(curated_files.__file__).resolve().parents[1]
    assert shipped_curated_dir() == package / "resources" / "curated"


def test_every_shipped_file_loads() -> None:
    """Every shipped .md file becomes one CuratedFile."""
    assert len(SHIPPED) == len(list(shipped_curated_dir().glob("*.md")))
    assert len(SHIPPED) >= 10


def test_shipped_ids_are_unique_and_sorted() -> None:
    """Shipped ids are unique and come back sorted."""
    ids = [item.id for item in SHIPPED]
    assert ids == sorted(set(ids))


@pytest.mark.parametrize("item", SHIPPED, ids=lambda item: item.id)
def test_each_answer_has_at_least_four_paraphrases(item: CuratedFile) -> None:
    """Each answer lists at least four paraphrases."""
    assert len(item.paraphrases) >= 4


@pytest.mark.parametrize("item", SHIPPED, ids=lambda item: item.id)
def test_each_answer_has_a_latin_paraphrase(item: CuratedFile) -> None:
    """Each answer has a paraphrase with Latin letters (English or mixed)."""
    assert any(LATIN.search(text) for text in item.paraphrases)


@pytest.mark.parametrize("item", SHIPPED, ids=lambda item: item.id)
def test_each_answer_has_a_korean_only_paraphrase(item: CuratedFile) -> None:
    """Each answer has a Hangul phrasing with no Latin letters at all."""
    assert any(HANGUL.search(text) and not LATIN.search(text) for text in item.paraphrases)


@pytest.mark.parametrize("item", SHIPPED, ids=lambda item: item.id)
def test_each_answer_starts_in_korean(item: CuratedFile) -> None:
    """Answers lead with Korean, since campers ask in Korean."""
    assert HANGUL.search(item.answer.splitlines()[0])


@pytest.mark.parametrize("item", SHIPPED, ids=lambda item: item.id)
def test_cites_resolve_to_journal_days(item: CuratedFile) -> None:
    """Each cite names a Day section that exists in that juniork725 journal file."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"journal corpus not found at {CORPUS_DIR}")
    for cite in item.cites:
        source, day = parse_cite(cite)
        journal = CORPUS_DIR / source
        assert journal.is_file(), f"{item.id}: {cite} names a missing file"
        assert _has_day_section(journal.read_text(encoding="utf-8"), day), f"{item.id}: {cite}"


def test_week2_cites_resolve_in_the_shipped_sample() -> None:
    """week2.md cites also resolve against the sample journal shipped with the package."""
    sample = (SAMPLE_DIR / "week2.md").read_text(encoding="utf-8")
    missing = [
        (item_id, day)
        for item_id, day in _cited_days("week2.md")
        if not _has_day_section(sample, day)
    ]
    assert not missing


@pytest.mark.parametrize("item_id", USER_NAMED)
def test_user_named_answers_exist_and_cite_week2(item_id: str) -> None:
    """The three answers the user asked for exist and cite the user's own week2 journal."""
    assert item_id in BY_ID
    assert all(parse_cite(cite)[0] == "week2.md" for cite in BY_ID[item_id].cites)


def test_view_vs_reshape_phrasing_belongs_to_contiguous_answer() -> None:
    """A camper's 'view랑 reshape 차이' is listed under the contiguous-tensor answer."""
    assert "view랑 reshape 차이" in BY_ID["contiguous-tensor"].paraphrases


def test_resize_answer_states_the_cropped_size() -> None:
    """The Resize/CenterCrop answer corrects the journal: the result is 224×224."""
    assert "224×224" in BY_ID["resize-centercrop"].answer


@pytest.mark.parametrize("item", SHIPPED, ids=lambda item: item.id)
def test_dump_then_read_round_trips(item: CuratedFile, tmp_path: Path) -> None:
    """dump_curated_file output reads back to an equal CuratedFile."""
    path = _write(tmp_path, item.id, dump_curated_file(item))
    assert read_curated_file(path) == item


def test_valid_minimal_file_reads(tmp_path: Path) -> None:
    """A minimal well-formed file yields the expected fields."""
    path = _write(
        tmp_path, "sample-answer", VALID_FRONT.format(id="sample-answer") + "답변입니다.\n"
    )
    item = read_curated_file(path)
    assert item.paraphrases == ("질문", "question")
    assert item.answer == "답변입니다."
    assert item.tags == ("pytorch",)


def test_missing_front_matter_names_the_file(tmp_path: Path) -> None:
    """A file without front matter raises CuratedFileError naming the file."""
    path = _write(tmp_path, "no-front", "그냥 답변만 있습니다.\n")
    with pytest.raises(CuratedFileError, match=r"no-front\.md.*front matter"):
        read_curated_file(path)


def test_unclosed_front_matter_names_the_file(tmp_path: Path) -> None:
    """Front matter without a closing '---' raises CuratedFileError naming the file."""
    path = _write(tmp_path, "unclosed", "---\nid: unclosed\nquestion: q\n")
    with pytest.raises(CuratedFileError, match=r"unclosed\.md.*not closed"):
        read_curated_file(path)


def test_bad_yaml_names_the_file(tmp_path: Path) -> None:
    """Front matter that is not valid YAML raises CuratedFileError naming the file."""
    path = _write(tmp_path, "bad-yaml", "---\nid: bad-yaml\nparaphrases: [a, b\n---\n답변\n")
    with pytest.raises(CuratedFileError, match=r"bad-yaml\.md.*YAML"):
        read_curated_file(path)


def test_id_mismatch_names_the_file(tmp_path: Path) -> None:
    """An id different from the file stem raises CuratedFileError naming the file."""
    path = _write(tmp_path, "file-stem", VALID_FRONT.format(id="other-id") + "답변\n")
    with pytest.raises(CuratedFileError, match=r"file-stem\.md.*does not match"):
        read_curated_file(path)


def test_non_slug_id_is_rejected(tmp_path: Path) -> None:
    """An id that is not a lowercase-hyphen slug raises CuratedFileError."""
    path = _write(tmp_path, "Bad_Id", VALID_FRONT.format(id="Bad_Id") + "답변\n")
    with pytest.raises(CuratedFileError, match=r"Bad_Id\.md.*slug"):
        read_curated_file(path)


def test_empty_answer_names_the_file(tmp_path: Path) -> None:
    """A file whose body is blank raises CuratedFileError naming the file."""
    path = _write(tmp_path, "empty-answer", VALID_FRONT.format(id="empty-answer") + "\n  \n")
    with pytest.raises(CuratedFileError, match=r"empty-answer\.md.*empty"):
        read_curated_file(path)


def test_empty_question_names_the_file(tmp_path: Path) -> None:
    """A blank question raises CuratedFileError naming the file."""
    text = VALID_FRONT.format(id="no-question").replace("question: 질문인가요?", "question: ''")
    path = _write(tmp_path, "no-question", text + "답변\n")
    with pytest.raises(CuratedFileError, match=r"no-question\.md.*'question'"):
        read_curated_file(path)


def test_non_string_list_item_names_the_file(tmp_path: Path) -> None:
    """A list item YAML reads as a non-string (e.g. a bare number) is rejected."""
    text = VALID_FRONT.format(id="number-item").replace("  - question", "  - 42")
    path = _write(tmp_path, "number-item", text + "답변\n")
    with pytest.raises(CuratedFileError, match=r"number-item\.md.*'paraphrases'"):
        read_curated_file(path)


def test_unknown_key_names_the_file(tmp_path: Path) -> None:
    """A misspelled front matter key raises CuratedFileError naming the file."""
    text = VALID_FRONT.format(id="typo-key").replace("tags:", "tag:")
    path = _write(tmp_path, "typo-key", text + "답변\n")
    with pytest.raises(CuratedFileError, match=r"typo-key\.md.*unknown"):
        read_curated_file(path)


def test_bad_cite_names_the_file(tmp_path: Path) -> None:
    """A cite not of the form '<file>.md · Day K' raises CuratedFileError naming the file."""
    text = VALID_FRONT.format(id="bad-cite").replace("week2.md · Day 8", "week2 day eight")
    path = _write(tmp_path, "bad-cite", text + "답변\n")
    with pytest.raises(CuratedFileError, match=r"bad-cite\.md.*bad cite"):
        read_curated_file(path)


def test_duplicate_ids_in_a_folder_are_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """load_curated_dir refuses two files that yield the same id."""
    for stem in ("first", "second"):
        _write(tmp_path, stem, VALID_FRONT.format(id=stem) + "답변\n")
    clone = read_curated_file(tmp_path / "first.md")
    monkeypatch.setattr(curated_files, "read_curated_file", lambda path: clone)
    with pytest.raises(CuratedFileError, match="duplicate id 'first'"):
        load_curated_dir(tmp_path)


def test_parse_cite_accepts_middle_dot() -> None:
    """parse_cite splits the ' · ' form."""
    assert parse_cite("week2.md · Day 8") == ("week2.md", "Day 8")


def test_parse_cite_accepts_hash() -> None:
    """parse_cite splits the '#' form."""
    assert parse_cite("week10.md#Day 44") == ("week10.md", "Day 44")


@pytest.mark.parametrize("cite", ["week2.md - Day 8", "week2 · Day 8", "week2.md · day 8", "Day 8"])
def test_parse_cite_rejects_other_forms(cite: str) -> None:
    """parse_cite raises CuratedFileError for any other form."""
    with pytest.raises(CuratedFileError, match="bad cite"):
        parse_cite(cite)


def test_negative_phrasings_read_and_round_trip(tmp_path: Path) -> None:
    """A `not:` list is read as the answer's negatives and written back the same."""
    text = VALID_FRONT.format(id="with-not").replace(
        "cites:", "not:\n  - 다른 질문\n  - other question\ncites:"
    ) + "답변입니다.\n"
    item = read_curated_file(_write(tmp_path, "with-not", text))
    assert item.negatives == ("다른 질문", "other question")
    (tmp_path / "again").mkdir()
    assert read_curated_file(_write(tmp_path / "again", "with-not",
                                    dump_curated_file(item))) == item


def test_a_file_without_negatives_is_written_without_a_not_key(tmp_path: Path) -> None:
    """Answers with no negatives keep the file format they had."""
    item = read_curated_file(
        _write(tmp_path, "plain", VALID_FRONT.format(id="plain") + "답변입니다.\n")
    )
    assert item.negatives == ()
    assert "not:" not in dump_curated_file(item)


@pytest.mark.parametrize("value", ["'한 줄'", "[3]"])
def test_a_bad_not_list_names_the_file(tmp_path: Path, value: str) -> None:
    """`not:` must be a list of strings (empty or absent: no negatives)."""
    text = VALID_FRONT.format(id="bad-not").replace("cites:", f"not: {value}\ncites:")
    path = _write(tmp_path, "bad-not", text + "답변입니다.\n")
    with pytest.raises(CuratedFileError, match=r"bad-not\.md.*'not'"):
        read_curated_file(path)


def test_a_negative_that_is_also_a_phrasing_is_refused(tmp_path: Path) -> None:
    """A question cannot be both one the answer takes and one it must not take."""
    text = VALID_FRONT.format(id="clash").replace("cites:", "not:\n  - 질문\ncites:")
    with pytest.raises(CuratedFileError, match="repeats a phrasing"):
        read_curated_file(_write(tmp_path, "clash", text + "답변입니다.\n"))
