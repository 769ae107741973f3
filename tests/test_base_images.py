"""Base images are pinned by digest, their tags kept for readability."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PINNED = re.compile(r"^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$")


def test_dockerfile_and_compose_pin_their_base_images() -> None:
    """Every FROM of the Dockerfile and the compose file's postgres image carry a digest."""
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    froms = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("FROM ")]
    compose = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    images = re.findall(r"^\s*image:\s*(postgres\S*)", compose, flags=re.MULTILINE)
    assert len(froms) == 2 and images
    for image in [*froms, *images]:
        assert PINNED.match(image), image
