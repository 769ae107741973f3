"""Reading hostile files: only regular files, the allowed folder checked on the opened file,
the size limit held while reading, NUL refused on every decoding path, parsing outside the
ingest lock."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest

import knowledge.notes.ingest as ingest_module
import knowledge.notes.reading as reading
from bot.chat import handle_line
from knowledge.core import Sunbae
from knowledge.errors import UnreadableNote
from knowledge.notes.ingest import Ingestor
from knowledge.notes.reading import decode_note, read_note
from knowledge.store.database import Store
from tests.fakes import FakeEmbedder
from tests.knowledge.conftest import FollowingIndex, counts, note
from tests.knowledge.test_hostile_parsing import guard


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    """A named pipe given as a note is refused at once, never read (which would hang)."""
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with guard(30), pytest.raises(UnreadableNote, match="not a regular file"):
        read_note(fifo)


def test_dev_zero_is_refused_not_read_until_memory_runs_out() -> None:
    """A device is refused by its type before a byte is read."""
    with guard(30), pytest.raises(UnreadableNote, match="not a regular file"):
        read_note(Path("/dev/zero"))


def test_a_folder_given_as_a_file_is_refused(tmp_path: Path) -> None:
    """A folder opened as a note is refused with a clear message."""
    with pytest.raises(UnreadableNote, match="folder"):
        read_note(tmp_path)


def test_the_size_limit_holds_while_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that grows past the limit after its size was looked at is still refused."""
    path = tmp_path / "grows.md"
    path.write_text("a" * 500)

    class SmallStat:
        st_mode = os.stat(path).st_mode
        st_size = 10

    monkeypatch.setattr(reading.os, "fstat", lambda fd: SmallStat())
    with pytest.raises(UnreadableNote, match="over the"):
        read_note(path, max_bytes=100)


def test_a_file_swapped_for_a_symlink_after_the_check_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The allowed folder is checked on the file as opened: a swap just before the open
    (after any check of the name) still cannot read outside."""
    allowed, outside = tmp_path / "allowed", tmp_path / "outside"
    allowed.mkdir()
    outside.mkdir()
    secret = outside / "secret.md"
    secret.write_text("# secret\n비밀")
    note_path = allowed / "note.md"
    note_path.write_text("# note\n노트")
    real_open = reading.os.open

    def swap_then_open(path: object, flags: int, *args: int) -> int:
        # The attacker's move lands between every name check and the open itself.
        note_path.unlink()
        note_path.symlink_to(secret)
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(reading.os, "open", swap_then_open)
    with pytest.raises(UnreadableNote, match="outside the allowed folder"):
        read_note(note_path, allowed_root=allowed)


def test_a_symlink_inside_the_allowed_folder_is_read(tmp_path: Path) -> None:
    """A link to a file that is itself inside the allowed folder is fine."""
    (tmp_path / "real.md").write_text("# 노트\n내용")
    (tmp_path / "link.md").symlink_to(tmp_path / "real.md")
    assert "내용" in read_note(tmp_path / "link.md", allowed_root=tmp_path)


def test_nul_through_utf16_is_refused() -> None:
    """U+0000 decoded from a UTF-16 file is refused like a NUL byte in UTF-8."""
    data = "노트\x00본문".encode("utf-16")
    with pytest.raises(UnreadableNote, match="NUL"):
        decode_note(data, "nul16.md")
    assert decode_note("노트 본문".encode("utf-16"), "ok16.md") == "노트 본문"


def test_nul_in_pasted_text_is_refused_before_anything_is_stored(
    ingestor: Ingestor, store: Store
) -> None:
    """Text that never went through a decoder (pasted) is checked by the ingest itself."""
    with pytest.raises(UnreadableNote, match="NUL"):
        ingestor.ingest([note("pasted", "# 제목\n본문\x00끝")])
    assert counts(store) == (0, 0, 0)


def test_chat_ingest_outside_the_allowed_folder_is_refused(
    fast_core: Sunbae, tmp_path: Path
) -> None:
    """`/ingest /etc/hostname` in `sunbae chat` obeys SUNBAE_ALLOWED_ROOT like the CLI."""
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    fast_core.settings = fast_core.settings.model_copy(update={"allowed_root": allowed})
    out = io.StringIO()
    handle_line(fast_core, "/ingest /etc/hostname", out)
    assert "outside the allowed folder" in out.getvalue()
    assert not fast_core.source_exists(str(Path("/etc/hostname").resolve()))


def test_parsing_runs_outside_the_ingest_lock(
    store: Store, fake_embedder: FakeEmbedder, tokenizer: object,
    following_index: FollowingIndex, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A slow (hostile) note is parsed before the ingest lock is taken."""
    lock = threading.Lock()
    held_while_parsing: list[bool] = []
    real_parse = ingest_module.parse_document

    def watched_parse(text: str, path: str):  # type: ignore[no-untyped-def]
        held_while_parsing.append(lock.locked())
        return real_parse(text, path)

    monkeypatch.setattr(ingest_module, "parse_document", watched_parse)
    ingestor = Ingestor(store, fake_embedder, tokenizer, following_index.apply,  # type: ignore[arg-type]
                        ingest_lock=lock)
    ingestor.ingest([note("a.md", "# 제목\n본문")])
    assert held_while_parsing == [False]
    assert counts(store)[0] == 1
