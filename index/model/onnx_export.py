"""Export a sentence-transformers folder to ONNX fp32, check it, quantize it to per-channel int8.

Build time only: torch and transformers are imported inside the functions that need them, so
importing this module (for `ensure_onnx`) costs nothing. sentence-transformers' own ONNX route
needs optimum-onnx, whose only release wants transformers < 4.58, so the export is
`torch.onnx.export(dynamo=False)` (the dynamo exporter needs onnxscript) and the quantization
`onnxruntime.quantization.quantize_dynamic` (see `onnx_folder.QUANTIZATION`).
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from index.embedder import model_identity
from index.model.onnx_folder import (
    FORMAT_VERSION,
    FP32_FILE,
    INT8_FILE,
    QUANTIZATION,
    TOKENIZER_FILE,
    file_records,
    is_current,
    new_stage,
    onnx_dir_for,
    swap_into_place,
    write_manifest,
)
from index.unigram_tokenizer import ensure_unigram_files

log = logging.getLogger(__name__)

OPSET = 17
OUTPUT_NAME = "last_hidden_state"
SOURCE_MARKER_FILE = "sunbae_model_source.json"  # written by index.model.convert
EXPORT_TOLERANCE = 1e-3  # largest |torch - onnxruntime| on a hidden state (measured: 1e-6)
INT8_MIN_COSINE = 0.95  # int8 vs fp32 on the check texts (measured: 0.99 and up)
# Texts of different lengths, so the trace sees real padding in the attention mask.
_EXPORT_TEXTS = (
    "query: 텐서가 메모리상에서 연속적이라는 게 무슨 뜻이야?",
    "passage: PyTorch에서는 backward라는 method를 통해 tensor들의 미분값을 구할 수 있다.",
    "passage: hi",
)
# Batch sizes and lengths the trace never saw, up to the truncation limit.
_CHECK_BATCHES = (
    ("query: 첫 주에 만난 멘토님은 몇 기 출신이셨어?",),
    ("passage: " + "contiguous 텐서 메모리 주소 " * 120, "passage: 짧다", "query: a", "query: b c"),
)


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _pooling_mode(config: dict[str, Any]) -> str:
    """"mean" or "cls" from a Pooling config (sentence-transformers' old or new keys)."""
    if "pooling_mode" in config:
        return str(config["pooling_mode"])
    if config.get("pooling_mode_cls_token"):
        return "cls"
    return "mean" if config.get("pooling_mode_mean_tokens", True) else "unsupported"


def read_st_settings(st_folder: Path) -> dict[str, Any]:
    """Transformer folder, pooling, normalisation, prompts and max length of an ST folder."""
    st_folder = Path(st_folder)
    modules = _read_json(st_folder / "modules.json")
    transformer = next(m for m in modules if m["type"].endswith(".Transformer"))
    pooling = next((m for m in modules if m["type"].endswith(".Pooling")), None)
    mode = "mean"
    if pooling is not None:
        mode = _pooling_mode(_read_json(st_folder / pooling["path"] / "config.json"))
    tf_folder = st_folder / transformer["path"]
    configs = {}
    for name in ("config_sentence_transformers.json", "sentence_bert_config.json",
                 "tokenizer_config.json"):
        folder = st_folder if name.startswith("config_") else tf_folder
        configs[name] = _read_json(folder / name) if (folder / name).exists() else {}
    max_length = (configs["sentence_bert_config.json"].get("max_seq_length")
                  or configs["tokenizer_config.json"].get("model_max_length") or 512)
    return {
        "transformer_folder": tf_folder,
        "pooling": mode,
        "normalize": any(m["type"].endswith(".Normalize") for m in modules),
        "prompts": dict(configs["config_sentence_transformers.json"].get("prompts", {})),
        "max_seq_length": min(int(max_length), 100_000),
    }


def _load_transformer(tf_folder: Path) -> tuple[Any, list[str], int]:
    """The transformer in float32 with eager attention, its input names and its pad id."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    # Eager attention traces into plain MatMul/Softmax; float16 weights on disk are upcast,
    # which is how the model must run on a CPU.
    model = AutoModel.from_pretrained(
        str(tf_folder), dtype=torch.float32, attn_implementation="eager", local_files_only=True
    ).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(tf_folder), local_files_only=True)
    names: list[str] = [n for n in ("input_ids", "attention_mask", "token_type_ids")
             if n in tokenizer.model_input_names]
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    return model, names, int(pad_id)


def _feed(tokenizer: Any, texts: list[str], pad_id: int, names: list[str]) -> dict[str, Any]:
    """numpy inputs of `texts`, as the runtime embedder builds them."""
    import numpy as np

    from index.onnx_embedder import pad_batch

    ids, mask = pad_batch([e.ids for e in tokenizer.encode_batch(texts)], pad_id)
    feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    return {name: feed[name] for name in names}


def export_fp32(tf_folder: Path, out_path: Path, max_length: int, *, opset: int = OPSET) -> dict:
    """Export the transformer with dynamic batch and sequence axes; its input names and pad id.

    XLM-R is exported without `token_type_ids`: its tokenizer never returns them, and the
    model then uses its all-zero default, exactly as sentence-transformers runs it.
    """
    import torch

    from index.onnx_embedder import load_tokenizer

    model, names, pad_id = _load_transformer(tf_folder)

    class _Hidden(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(names, inputs, strict=True))).last_hidden_state

    tokenizer = load_tokenizer(tf_folder / TOKENIZER_FILE, max_length)
    feed = _feed(tokenizer, list(_EXPORT_TEXTS), pad_id, names)
    axes = {name: {0: "batch", 1: "sequence"} for name in [*names, OUTPUT_NAME]}
    with torch.inference_mode():
        torch.onnx.export(
            _Hidden(model).eval(), tuple(torch.from_numpy(feed[n]) for n in names),
            str(out_path), dynamo=False, input_names=names, output_names=[OUTPUT_NAME],
            dynamic_axes=axes, opset_version=opset, do_constant_folding=True,
        )
    return {"inputs": names, "pad_token_id": pad_id}


def check_export(tf_folder: Path, onnx_path: Path, max_length: int, io: dict) -> float:
    """Largest |difference| of the hidden states, torch vs onnxruntime, over real tokens."""
    import numpy as np
    import onnxruntime as ort
    import torch

    from index.onnx_embedder import load_tokenizer

    model, _, _ = _load_transformer(tf_folder)
    tokenizer = load_tokenizer(tf_folder / TOKENIZER_FILE, max_length)
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    worst = 0.0
    for texts in _CHECK_BATCHES:
        feed = _feed(tokenizer, list(texts), io["pad_token_id"], io["inputs"])
        with torch.inference_mode():
            tensors = {k: torch.from_numpy(v) for k, v in feed.items()}
            expected = model(**tensors).last_hidden_state.numpy()
        (got,) = session.run([OUTPUT_NAME], feed)
        real = feed["attention_mask"].astype(bool)  # padding is never pooled
        worst = max(worst, float(np.abs(got[real] - expected[real]).max()))
    if worst > EXPORT_TOLERANCE:
        raise RuntimeError(f"ONNX export differs from torch by {worst:.2e}")
    return worst


def quantize_int8(src: Path, dst: Path) -> None:
    """Dynamic int8 quantization of the weights, as `QUANTIZATION` says."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8,
                     per_channel=bool(QUANTIZATION["per_channel"]),
                     reduce_range=bool(QUANTIZATION["reduce_range"]))


def check_int8(stage: Path, max_length: int, io: dict, pooling: str) -> float:
    """The smallest cosine between int8 and fp32 sentence vectors of the check texts."""
    import numpy as np

    from index.onnx_embedder import load_tokenizer, make_session, normalize, pool

    tokenizer = load_tokenizer(stage / TOKENIZER_FILE, max_length)
    texts = [t for batch in _CHECK_BATCHES for t in batch] + list(_EXPORT_TEXTS)
    feed = _feed(tokenizer, texts, io["pad_token_id"], io["inputs"])
    vectors = []
    for name in (FP32_FILE, INT8_FILE):
        (hidden,) = make_session(stage / name, 1).run([OUTPUT_NAME], feed)
        vectors.append(normalize(pool(hidden, feed["attention_mask"], pooling)))
    cosine = float(np.min(np.sum(vectors[0] * vectors[1], axis=1)))
    if cosine < INT8_MIN_COSINE:
        raise RuntimeError(f"int8 vectors are too far from fp32 (cosine {cosine:.4f})")
    return cosine


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _source_marker(st_folder: Path) -> dict | None:
    path = Path(st_folder) / SOURCE_MARKER_FILE
    return _read_json(path) if path.exists() else None


def build_manifest(st_folder: Path, stage: Path, settings: dict, facts: dict) -> dict[str, Any]:
    """Describe a staged folder: the family, the source, the quantization, the versions, the
    checks and the sha256 of every file."""
    files = file_records(stage)
    return {
        "format": FORMAT_VERSION,
        "family": model_identity(Path(st_folder)),
        "source_model": Path(st_folder).name,
        "source_marker": _source_marker(st_folder),
        "opset": facts["opset"],
        "inputs": facts["inputs"],
        "output": OUTPUT_NAME,
        "pad_token_id": facts["pad_token_id"],
        "pooling": settings["pooling"],
        "normalize": settings["normalize"],
        "max_seq_length": settings["max_seq_length"],
        "prompts": settings["prompts"],
        "models": {"fp32": FP32_FILE if FP32_FILE in files else None, "int8": INT8_FILE},
        "quantization": {"method": "onnxruntime.quantization.quantize_dynamic",
                         **QUANTIZATION},
        "versions": {name: _version(name) for name in (
            "onnxruntime", "onnx", "torch", "transformers", "sentence-transformers")},
        "checks": {"fp32_max_abs_diff": facts["export_diff"],
                   "int8_min_cosine": facts["int8_cosine"]},
        "timings_s": {k: round(v, 2) for k, v in facts["timings"].items()},
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": files,
    }


def _export_into(st_folder: Path, stage: Path, settings: dict, facts: dict) -> None:
    """Export, check and quantize into `stage`, filling `facts` for the manifest."""
    tf_folder = Path(settings["transformer_folder"])
    max_length = int(settings["max_seq_length"])
    started = time.perf_counter()
    io = export_fp32(tf_folder, stage / FP32_FILE, max_length, opset=facts["opset"])
    facts["timings"]["export"] = time.perf_counter() - started
    facts["export_diff"] = check_export(tf_folder, stage / FP32_FILE, max_length, io)
    started = time.perf_counter()
    quantize_int8(stage / FP32_FILE, stage / INT8_FILE)
    facts["timings"]["quantize"] = time.perf_counter() - started
    shutil.copy2(tf_folder / TOKENIZER_FILE, stage / TOKENIZER_FILE)
    ensure_unigram_files(stage, stage / TOKENIZER_FILE)  # the lean tokenizer, when it applies
    facts["int8_cosine"] = check_int8(stage, max_length, io, settings["pooling"])
    facts.update(io)


def build_onnx(st_folder: Path, target: Path | None = None, *, keep_fp32: bool = True) -> Path:
    """Export, check and quantize `st_folder` into `target` (default: its `-onnx` sibling).

    Built in a hidden stage beside the target and renamed into place whole, the manifest
    written last, so a killed build never leaves a half-written folder.
    """
    st_folder = Path(st_folder)
    target = Path(target) if target is not None else onnx_dir_for(st_folder)
    settings = read_st_settings(st_folder)
    if settings["pooling"] not in ("mean", "cls"):
        raise ValueError(f"{st_folder}: pooling {settings['pooling']!r} cannot be exported")
    facts: dict[str, Any] = {"opset": OPSET, "timings": {}}
    stage = new_stage(target)
    try:
        _export_into(st_folder, stage, settings, facts)
        if not keep_fp32:
            (stage / FP32_FILE).unlink()
        write_manifest(stage, build_manifest(st_folder, stage, settings, facts))
        swap_into_place(stage, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    log.info("exported %s to %s (export %.1f s, quantize %.1f s, int8 cosine >= %.4f)",
             st_folder, target, facts["timings"]["export"], facts["timings"]["quantize"],
             facts["int8_cosine"])
    return target


def ensure_onnx(st_folder: Path, target: Path | None = None, *, keep_fp32: bool = True) -> Path:
    """The ONNX folder of `st_folder` (default: its `-onnx` sibling), exported unless one of
    the folder as it is now is already there."""
    st_folder = Path(st_folder)
    target = Path(target) if target is not None else onnx_dir_for(st_folder)
    models = ("int8", "fp32") if keep_fp32 else ("int8",)
    if is_current(target, family=model_identity(st_folder),
                  source_marker=_source_marker(st_folder), models=models):
        return target
    return build_onnx(st_folder, target, keep_fp32=keep_fp32)


def main(argv: list[str] | None = None) -> int:
    """`python -m index.model.onnx_export ST_FOLDER [TARGET] [--int8-only]`: export it."""
    args = sys.argv[1:] if argv is None else argv
    paths = [a for a in args if not a.startswith("--")]
    if not 1 <= len(paths) <= 2:
        print(main.__doc__, file=sys.stderr)
        return 2
    # onnxruntime's quantizer logs every tensor at INFO: only this module's lines are shown.
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    log.setLevel(logging.INFO)
    target = Path(paths[1]) if len(paths) > 1 else None
    print(ensure_onnx(Path(paths[0]), target, keep_fp32="--int8-only" not in args).resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
