"""Maintainer-curated answers stored as Markdown files with YAML front matter."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from knowledge.errors import CuratedFileError

# Slugs double as file names: lowercase ASCII letters, digits and Hangul syllables (what
# `slugify` makes of a Korean question) with single hyphens; never a path.
_SLUG = re.compile(r"[a-z0-9가-힣]+(?:-[a-z0-9가-힣]+)*")
MAX_SLUG = 200  # the database column's size
# "week2.md · Day 8" (the reviewable form) or "week2.md#Day 8" (anchor-like form).
_CITE = re.compile(r"^(?P<source>\S+\.md)(?: · |#)(?P<day>Day [1-9][0-9]*)$")
_DELIMITER = "---"
_LIST_FIELDS = ("paraphrases", "cites", "tags")
_TEXT_FIELDS = ("id", "question", "author")
# `not:` lists questions the answer must not take (optional; see CuratedFile.negatives).
_NEGATIVES = "not"
_KNOWN_FIELDS = frozenset((*_TEXT_FIELDS, *_LIST_FIELDS, _NEGATIVES))


@dataclass(frozen=True)
class CuratedFile:
    """One curated answer: front matter fields plus the Markdown answer body."""

    id: str
    question: str
    paraphrases: tuple[str, ...]
    answer: str
    cites: tuple[str, ...]
    author: str
    tags: tuple[str, ...]
    # Negative phrasings: questions on neighbouring subjects this answer does not answer; a
    # question nearer one of them than to every phrasing above is not matched to it.
    negatives: tuple[str, ...] = ()


def shipped_curated_dir() -> Path:
    """Return the folder of curated answers that ships inside the package."""
    return Path(__file__).resolve().parents[1] / "resources" / "curated"


def parse_cite(cite: str) -> tuple[str, str]:
    """Split "week2.md · Day 8" (or "week2.md#Day 8") into ("week2.md", "Day 8")."""
    match = _CITE.match(cite.strip())
    if match is None:
        raise CuratedFileError(
            f"bad cite {cite!r}: expected '<file>.md · Day K' or '<file>.md#Day K'"
        )
    return match["source"], match["day"]


def _split_front_matter(text: str, path: Path) -> tuple[str, str]:
    """Return (yaml text, body) or raise when the file does not open with front matter."""
    # Editors on Windows may add a BOM or CRLF line ends; neither should break review files.
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != _DELIMITER:
        raise CuratedFileError(f"{path}: missing YAML front matter (first line must be '---')")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == _DELIMITER:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    raise CuratedFileError(f"{path}: front matter is not closed by a '---' line")


def _text_field(meta: dict[str, Any], key: str, path: Path) -> str:
    """Return a required non-empty string field."""
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CuratedFileError(f"{path}: '{key}' must be a non-empty string, got {value!r}")
    return value.strip()


def check_slug(slug: str) -> str:
    """`slug` (NFC) when it may name a curated answer and its file, else CuratedFileError."""
    slug = unicodedata.normalize("NFC", slug)
    if len(slug) > MAX_SLUG or not _SLUG.fullmatch(slug):
        raise CuratedFileError(
            f"id {slug[:80]!r} is not a slug: lowercase letters, digits, Hangul and single "
            f"hyphens, at most {MAX_SLUG} characters"
        )
    return slug


def _list_field(meta: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    """Return a list field whose items are all non-empty strings (absent or [] is empty:
    an answer added without paraphrases, cites or tags exports and imports as it is)."""
    value = meta.get(key, [])
    if not isinstance(value, list):
        raise CuratedFileError(f"{path}: '{key}' must be a list, got {value!r}")
    items: list[str] = []
    for item in value:
        # YAML turns bare yes/no/123 into bool/int; demand strings so nothing is coerced silently.
        if not isinstance(item, str) or not item.strip():
            raise CuratedFileError(f"{path}: '{key}' items must be non-empty strings, got {item!r}")
        items.append(item.strip())
    return tuple(items)


def _negatives_field(
    meta: dict[str, Any], path: Path, phrasings: tuple[str, ...]
) -> tuple[str, ...]:
    """The optional `not:` list: strings, none of them also a phrasing of the answer."""
    if meta.get(_NEGATIVES) is None:
        return ()
    negatives = _list_field(meta, _NEGATIVES, path)
    clash = sorted(set(negatives) & set(phrasings))
    if clash:
        raise CuratedFileError(f"{path}: '{_NEGATIVES}' repeats a phrasing: {clash[0]!r}")
    return negatives


def read_curated_file(path: Path) -> CuratedFile:
    """Read and validate one curated answer file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CuratedFileError(f"{path}: cannot read file: {exc}") from exc
    if "\x00" in text:  # PostgreSQL cannot store U+0000; refuse before it gets there
        raise CuratedFileError(f"{path}: holds a NUL character (binary?), not an answer file")
    header, body = _split_front_matter(text, path)
    try:
        meta = yaml.safe_load(header)
    except yaml.YAMLError as exc:
        raise CuratedFileError(f"{path}: front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise CuratedFileError(f"{path}: front matter must be a YAML mapping")
    unknown = sorted(str(key) for key in meta if key not in _KNOWN_FIELDS)
    if unknown:
        # A misspelled key would otherwise be dropped without anyone noticing in review.
        raise CuratedFileError(f"{path}: unknown front matter keys: {', '.join(unknown)}")

    item_id = unicodedata.normalize("NFC", _text_field(meta, "id", path))
    try:
        check_slug(item_id)
    except CuratedFileError as exc:
        raise CuratedFileError(f"{path}: {exc}") from exc
    # NFC both: macOS may hand back a Hangul file name decomposed.
    if item_id != unicodedata.normalize("NFC", path.stem):
        raise CuratedFileError(f"{path}: id {item_id!r} does not match file name {path.stem!r}")
    answer = body.strip()
    if not answer:
        raise CuratedFileError(f"{path}: answer body is empty")
    cites = _list_field(meta, "cites", path)
    for cite in cites:
        try:
            parse_cite(cite)
        except CuratedFileError as exc:
            raise CuratedFileError(f"{path}: {exc}") from exc

    question = _text_field(meta, "question", path)
    paraphrases = _list_field(meta, "paraphrases", path)
    return CuratedFile(
        id=item_id,
        question=question,
        paraphrases=paraphrases,
        answer=answer,
        cites=cites,
        author=_text_field(meta, "author", path),
        tags=_list_field(meta, "tags", path),
        negatives=_negatives_field(meta, path, (question, *paraphrases)),
    )


def load_curated_dir(folder: Path) -> list[CuratedFile]:
    """Load every *.md answer in folder, sorted by id; duplicate ids are an error."""
    items: dict[str, CuratedFile] = {}
    origins: dict[str, Path] = {}
    for path in sorted(folder.glob("*.md")):
        item = read_curated_file(path)
        # id == stem makes clashes unlikely today, but the index keys answers by id,
        # so a clash must fail loudly rather than let one file shadow another.
        if item.id in items:
            raise CuratedFileError(f"{path}: duplicate id {item.id!r} (also in {origins[item.id]})")
        items[item.id] = item
        origins[item.id] = path
    return [items[key] for key in sorted(items)]


def curated_file_path(folder: Path, slug: str) -> Path:
    """The file of answer `slug` directly inside `folder`; a slug that is not one is refused."""
    path = folder / f"{check_slug(slug)}.md"
    if path.parent != folder:  # cannot happen for a slug; a second guard costs nothing
        raise CuratedFileError(f"id {slug!r} would be written outside {folder}")
    return path


def write_curated_file(folder: Path, item: CuratedFile) -> Path:
    """Write `item` as `<folder>/<id>.md`, never through a symlink, never outside `folder`."""
    path = curated_file_path(folder, item.id)
    data = dump_curated_file(item).encode("utf-8")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        raise CuratedFileError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path


def dump_curated_file(item: CuratedFile) -> str:
    """Render item in the on-disk format; read_curated_file gives the same item back."""
    meta: dict[str, Any] = {
        "id": item.id,
        "question": item.question,
        "paraphrases": list(item.paraphrases),
    }
    if item.negatives:
        meta[_NEGATIVES] = list(item.negatives)
    meta |= {"cites": list(item.cites), "author": item.author, "tags": list(item.tags)}
    # A wide line width keeps long Korean questions on one reviewable line.
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"{_DELIMITER}\n{header}{_DELIMITER}\n{item.answer.strip()}\n"
