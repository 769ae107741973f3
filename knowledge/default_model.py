"""`python -m knowledge.default_model` (`make model`): convert the bundled model where settings say.

The folder is `index.model.model_dir` inside the settings' model cache (`SUNBAE_MODEL_CACHE`,
else `<SUNBAE_DATA_DIR>/models`), the same folder `Sunbae` loads, so `make model` and the first
start never convert twice.
"""

from __future__ import annotations

import logging

from index.model import ensure_default_model, model_dir
from knowledge.settings import get_settings


def main() -> int:
    """Convert the default model once (if not yet) and print its folder."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    folder = ensure_default_model(model_dir(get_settings().resolved_model_cache))
    print(folder.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
