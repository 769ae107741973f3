"""The ONNX folder of a model: where it lives, its manifest, whether it is current, its swap.

An ONNX folder holds `model_int8.onnx` (and `model_fp32.onnx`), `tokenizer.json` and
`manifest.json`, written last. The manifest names the model `family`
(`index.embedder.model_identity` of the sentence-transformers folder it was exported from), so
every engine of the same weights agrees on which weights made a vector. Checking a folder reads
the manifest and stats the files (it hashes nothing unless asked): loading needs no torch.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Bump when the folder's layout or the manifest's meaning changes: older folders are rebuilt.
FORMAT_VERSION = 1
MANIFEST_FILE = "manifest.json"
TOKENIZER_FILE = "tokenizer.json"
FP32_FILE = "model_fp32.onnx"
INT8_FILE = "model_int8.onnx"
ONNX_DIR_SUFFIX = "-onnx"
# How the int8 file is made (onnxruntime.quantization.quantize_dynamic): QInt8 weights with one
# scale per output channel, kept to 7 bits. CPUs without VNNI (AVX2) multiply u8×s8 with
# VPMADDUBSW, which saturates on 8-bit weights; 7-bit ones avoid it. Measured on this model:
# cosine to fp32 0.996 mean (0.993 min) against 0.994 (0.989) without, dev hit@5 0.98 against
# 0.93 (torch fp32: 0.95), and no slower. A folder made another way is rebuilt.
QUANTIZATION: dict[str, object] = {"weight_type": "QInt8", "per_channel": True,
                                   "reduce_range": True}


def onnx_dir_for(st_folder: Path) -> Path:
    """The ONNX folder beside a sentence-transformers folder: `<name>-onnx`."""
    st_folder = Path(st_folder)
    return st_folder.with_name(st_folder.name + ONNX_DIR_SUFFIX)


def cached_onnx_dir(cache: Path, st_folder: Path, family: str) -> Path:
    """The ONNX folder of any model folder, inside the model cache (the model's own folder
    may be read-only): `<cache>/<folder name>-<family digest>-onnx`."""
    digest = family.rsplit(":", 1)[-1] if ":" in family else _digest(family)
    return Path(cache) / f"{Path(st_folder).name}-{digest}{ONNX_DIR_SUFFIX}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest, or None when there is none or it cannot be read."""
    try:
        manifest = json.loads((Path(folder) / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def file_records(folder: Path) -> dict[str, dict[str, object]]:
    """sha256 and size of every file of a folder but the manifest, by name."""
    return {
        item.name: {"sha256": sha256_file(item), "bytes": item.stat().st_size}
        for item in sorted(Path(folder).iterdir())
        if item.is_file() and item.name != MANIFEST_FILE
    }


def is_current(
    folder: Path,
    *,
    family: str | None = None,
    source_marker: dict[str, object] | None = None,
    models: Iterable[str] = ("int8", "fp32"),
    verify_hashes: bool = False,
) -> bool:
    """True when `folder` holds a finished export, of `family` and from `source_marker` when
    given, quantized as `QUANTIZATION` says, with the model files `models` ("int8", "fp32") and
    every file at its recorded size (`verify_hashes` re-hashes them too: seconds, not for
    start-up)."""
    manifest = read_manifest(folder)
    if manifest is None or manifest.get("format") != FORMAT_VERSION:
        return False
    if family is not None and manifest.get("family") != family:
        return False
    if source_marker is not None and manifest.get("source_marker") != source_marker:
        return False
    recorded = manifest.get("quantization") or {}
    if any(recorded.get(key) != value for key, value in QUANTIZATION.items()):
        return False
    files: dict[str, dict[str, Any]] = manifest.get("files") or {}
    recorded_models = manifest.get("models") or {}
    if any(recorded_models.get(kind) not in files for kind in models):
        return False
    for name, info in files.items():
        path = Path(folder) / name
        if not path.is_file() or path.stat().st_size != info.get("bytes"):
            return False
        if verify_hashes and sha256_file(path) != info.get("sha256"):
            return False
    return True


def new_stage(target: Path) -> Path:
    """A hidden temporary folder beside `target` to build it in (same file system: the final
    step is a rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))


def write_manifest(stage: Path, manifest: dict[str, object]) -> None:
    """Write the manifest, the last file of a stage (its presence means the rest is there)."""
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (stage / MANIFEST_FILE).write_text(text, encoding="utf-8")


def relax_permissions(folder: Path) -> None:
    """Give a stage the umask's usual modes (mkdtemp makes it owner-only)."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    for item in folder.rglob("*"):
        item.chmod((0o777 if item.is_dir() else 0o666) & ~umask)


def swap_into_place(stage: Path, target: Path) -> None:
    """Rename a finished stage onto `target`; an older folder is moved aside first, so the
    swap stays one rename and a reader never sees a half-written folder."""
    relax_permissions(stage)
    if not target.exists():
        os.replace(stage, target)
        return
    stale = Path(tempfile.mkdtemp(prefix=f".{target.name}.stale-", dir=target.parent))
    target.rename(stale / target.name)
    try:
        os.replace(stage, target)
    finally:
        shutil.rmtree(stale, ignore_errors=True)
