"""Curated answer ids as file names: never a path, export stays in its folder, and every slug
Sunbae makes (Hangul too) survives export and import."""

from __future__ import annotations

import io
from argparse import Namespace
from pathlib import Path

import pytest

from bot.cli.curate import run_curate
from knowledge.curation.answers import Curation, slugify
from knowledge.curation.files import (
    CuratedFile,
    check_slug,
    curated_file_path,
    read_curated_file,
    write_curated_file,
)
from knowledge.errors import CuratedFileError
from tests.knowledge.test_curation_fast import curation  # noqa: F401 (fixture)

ITEM = CuratedFile(id="collate-fn", question="collate_fn이 뭐야?", paraphrases=(),
                   answer="배치를 묶는 함수예요.", cites=(), author="mentor", tags=())


@pytest.mark.parametrize("slug", ["../escaped", "a/b", "/etc/passwd", "..", "a..b", "A-b", ""])
def test_a_slug_that_is_a_path_is_refused(slug: str) -> None:
    """No separator, dot or capital: an id can only ever name a file in the folder."""
    with pytest.raises(CuratedFileError, match="not a slug"):
        check_slug(slug)


def test_curate_add_with_an_escaping_id_is_refused(curation: Curation, tmp_path: Path) -> None:  # noqa: F811
    """`curate add --id ../escaped` stores nothing; export writes nothing outside."""
    with pytest.raises(CuratedFileError, match="not a slug"):
        curation.add(question="질문", answer="답", author="mentor", slug="../escaped")
    assert curation.list() == []
    folder = tmp_path / "export" / "curated"
    curation.export_dir(folder)
    assert not (tmp_path / "export" / "escaped.md").exists()


def test_the_cli_prints_the_refusal(curation: Curation) -> None:  # noqa: F811
    """The command line reports the refused id instead of failing with a traceback."""

    class Core:
        def add_curated(self, **fields: object) -> object:
            return curation.add(**fields)  # type: ignore[arg-type]

    args = Namespace(action="add", question="질문", answer="답", author="mentor",
                     paraphrase=None, cite=None, id="../escaped")
    out = io.StringIO()
    assert run_curate(Core(), args, out) == 1  # type: ignore[arg-type]
    assert "not a slug" in out.getvalue()


def test_export_never_writes_through_a_symlink(tmp_path: Path) -> None:
    """A planted `collate-fn.md -> /elsewhere` is not followed: the write is refused."""
    folder, outside = tmp_path / "curated", tmp_path / "outside.md"
    folder.mkdir()
    outside.write_text("keep")
    (folder / "collate-fn.md").symlink_to(outside)
    with pytest.raises(CuratedFileError, match="cannot write"):
        write_curated_file(folder, ITEM)
    assert outside.read_text() == "keep"


@pytest.mark.parametrize("question", ["데이터로더의 collate_fn은 뭐야?", "배치 정규화", "Dropout"])
def test_every_made_slug_round_trips_through_a_file(question: str, tmp_path: Path) -> None:
    """A slug made from a Korean question is a valid id, and its file reads back equal."""
    slug = slugify(question)
    item = CuratedFile(id=slug, question=question, paraphrases=(), answer="답변",
                       cites=(), author="mentor", tags=())
    path = write_curated_file(tmp_path, item)
    assert path == curated_file_path(tmp_path, slug)
    assert read_curated_file(path) == item


def test_hangul_slug_survives_export_and_import(curation: Curation, tmp_path: Path) -> None:  # noqa: F811
    """An answer added under a Hangul slug is exported and imported back unchanged."""
    view = curation.add(question="배치 정규화가 뭐야?", answer="배치마다 정규화해요.",
                        author="mentor")
    assert view.slug == "배치-정규화가-뭐야"
    curation.export_dir(tmp_path / "curated")
    assert curation.import_dir(tmp_path / "curated")["unchanged"] == [view.slug]


def test_a_curated_file_with_a_nul_is_refused(tmp_path: Path) -> None:
    """A NUL character (which PostgreSQL cannot store) is refused when the file is read."""
    path = write_curated_file(tmp_path, ITEM)
    path.write_text(path.read_text(encoding="utf-8").replace("배치", "배\x00치"), encoding="utf-8")
    with pytest.raises(CuratedFileError, match="NUL"):
        read_curated_file(path)
