"""`python -m knowledge.default_model` (`make model`): build the bundled model where settings say.

Two folders, both in the settings' model cache (`SUNBAE_MODEL_CACHE`, else
`<SUNBAE_DATA_DIR>/models`), the same folders `Sunbae` loads, so `make model` and the first start
never build twice: the sentence-transformers folder (`index.model.model_dir`, for
SUNBAE_EMBEDDER=torch and as the export's source) and its ONNX export, fp32 and int8
(`index.model.onnx_model_dir`), which Sunbae runs by default without torch. With another
SUNBAE_MODEL, its ONNX export is built into the model cache.
"""

from __future__ import annotations

import logging

from index.model import ensure_default_model, ensure_onnx
from knowledge.settings import get_settings
from knowledge.startup import model_folders


def main() -> int:
    """Build both folders once (if not yet) and print their paths."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    # onnxruntime's quantizer logs every tensor at INFO: only Sunbae's own steps are shown.
    for name in ("index", "knowledge"):
        logging.getLogger(name).setLevel(logging.INFO)
    settings = get_settings()
    st_folder, onnx_folder = model_folders(settings)
    if settings.model == "default":
        st_folder = ensure_default_model(st_folder)
    print(st_folder.resolve())
    print(ensure_onnx(st_folder, onnx_folder).resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
