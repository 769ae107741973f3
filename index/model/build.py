"""`python -m index.model.build FOLDER`: convert the default model into FOLDER, print its path.

`make model` runs `python -m knowledge.default_model` instead, which finds the folder through
Sunbae's settings (`SUNBAE_MODEL_CACHE`, `SUNBAE_DATA_DIR`, `.env`); this one takes it as given.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from index.model.convert import ensure_default_model


def main(argv: list[str] | None = None) -> int:
    """Build the model folder named by the one argument and print its path."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m index.model.build FOLDER", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(ensure_default_model(Path(args[0])).resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
