"""Reading note files safely: size limits, encodings, and clear errors for what is not text."""

from __future__ import annotations

import codecs
import os
import stat
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
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableNote(f"{name}: broken UTF-16 ({exc.reason})") from exc
        # UTF-16 spells every ASCII letter with a zero byte; only a decoded U+0000 is binary.
        if "\x00" in text:
            raise UnreadableNote(f"{name}: looks binary (NUL characters), not a text note")
        return _not_empty(text.replace("\r\n", "\n").replace("\r", "\n"), name)
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


def _open_regular(path: Path) -> int:
    """A descriptor of `path` opened for reading; anything but a regular file is refused.

    O_NONBLOCK: opening a FIFO with nobody writing would otherwise wait forever.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = ("a folder" if stat.S_ISDIR(mode)
                    else "not a regular file (a device, pipe or socket)")
            raise UnreadableNote(f"{path}: {kind}; only note files are read")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _opened_path(fd: int, path: Path) -> Path:
    """Where the opened file really lives: the descriptor's own path, not the name given,
    so a name swapped for a symlink after any earlier check cannot slip through."""
    proc = Path(f"/proc/self/fd/{fd}")
    if proc.is_symlink():
        return Path(os.readlink(proc))
    # No /proc: the name must still lead to the very file that is open.
    resolved = path.resolve()
    opened, named = os.fstat(fd), os.stat(resolved)
    if (opened.st_dev, opened.st_ino) != (named.st_dev, named.st_ino):
        raise UnreadableNote(f"{path}: changed while being read; try again")
    return resolved


def _read_limited(fd: int, path: Path, max_bytes: int) -> bytes:
    """At most `max_bytes` from `fd`: the limit holds while reading, whatever stat said."""
    parts: list[bytes] = []
    total = 0
    while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
        parts.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise UnreadableNote(f"{path}: over the {max_bytes / 1e6:.0f} MB limit")
    return b"".join(parts)


def read_note(
    path: Path, *, max_bytes: int = MAX_FILE_BYTES, allowed_root: Path | None = None
) -> str:
    """Read and decode one note file, or raise UnreadableNote.

    Only regular files are read. With `allowed_root`, the file as opened (after every
    symlink) must lie inside it: the check is made on the open file, not on its name.
    """
    try:
        fd = _open_regular(path)
    except OSError as exc:
        raise UnreadableNote(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        if allowed_root is not None:
            root = allowed_root.resolve()
            if not _opened_path(fd, path).is_relative_to(root):
                raise UnreadableNote(f"{path}: outside the allowed folder {root}")
        size = os.fstat(fd).st_size
        if size > max_bytes:
            # Refuse before reading: a 50 MB upload should not be loaded just to be refused.
            raise UnreadableNote(
                f"{path}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit"
            )
        data = _read_limited(fd, path, max_bytes)
    except OSError as exc:
        raise UnreadableNote(f"{path}: cannot read ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)
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
