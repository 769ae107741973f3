"""Reading note files safely: size limits, encodings, and clear errors for what is not text."""

from __future__ import annotations

import codecs
from pathlib import Path

from knowledge.errors import UnreadableNote

MAX_FILE_BYTES = 5 * 1024 * 1024
NOTE_SUFFIXES = (".md", ".markdown", ".txt")


def decode_note(data: bytes, name: str, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The text of a note file: UTF-8 (BOM allowed) or UTF-16 with BOM; anything else refused."""
    if len(data) > max_bytes:
        raise UnreadableNote(
            f"{name}: {len(data) / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _not_empty(data.decode("utf-16").replace("\r\n", "\n"), name)
        except UnicodeDecodeError as exc:
            raise UnreadableNote(f"{name}: broken UTF-16 ({exc.reason})") from exc
    if b"\x00" in data:
        raise UnreadableNote(f"{name}: looks binary (NUL bytes), not a text note")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableNote(
            f"{name}: not UTF-8 (bad byte at offset {exc.start}); save it as UTF-8 and retry"
        ) from exc
    return _not_empty(text.replace("\r\n", "\n").replace("\r", "\n"), name)


def _not_empty(text: str, name: str) -> str:
    if not text.strip():
        raise UnreadableNote(f"{name}: empty (no text to ingest)")
    return text


def read_note(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read and decode one note file, or raise UnreadableNote."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            # Refuse before reading: a 50 MB upload should not be loaded just to be refused.
            raise UnreadableNote(
                f"{path}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableNote(f"{path}: cannot read ({exc.strerror or exc})") from exc
    return decode_note(data, str(path), max_bytes=max_bytes)


def find_notes(
    paths: list[Path], *, allowed_root: Path | None = None
) -> list[tuple[Path, str]]:
    """Every note file under the given files and folders, each with its display path.

    A folder's files are shown relative to the folder; a single file by its name. With
    `allowed_root`, any file that resolves outside it (`../`, a symlink) is refused.
    """
    found: list[tuple[Path, str]] = []
    for given in paths:
        if given.is_dir():
            for file in sorted(given.rglob("*")):
                if file.is_file() and file.suffix.lower() in NOTE_SUFFIXES:
                    if any(part.startswith(".") for part in file.relative_to(given).parts):
                        continue
                    found.append((file, file.relative_to(given).as_posix()))
        elif given.exists():
            found.append((given, given.name))
        else:
            raise UnreadableNote(f"{given}: no such file or folder")
    if allowed_root is not None:
        root = allowed_root.resolve()
        for file, _ in found:
            if not file.resolve().is_relative_to(root):
                raise UnreadableNote(f"{file}: outside the allowed folder {root}")
    return found
