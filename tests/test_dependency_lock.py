"""requirements.lock pins what the tests run on, and every way of installing uses it."""

from __future__ import annotations

import re
from importlib import metadata

from tests.conftest import REPO

LOCK = REPO / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;]+)$")


def _pins() -> dict[str, str]:
    lines = [line.strip() for line in LOCK.read_text().splitlines()]
    pins = {}
    for line in lines:
        if line and not line.startswith("#"):
            match = PIN.match(line)
            assert match, f"not a name==version pin: {line!r}"
            pins[match.group(1)] = match.group(2)
    return pins


def test_the_lock_pins_the_versions_installed_here() -> None:
    """Every pin is exactly the version this environment runs (the lock is not stale)."""
    pins = _pins()
    assert {"sqlalchemy", "faiss-cpu", "discord.py"} <= {name.lower() for name in pins}
    wrong = {name: (version, metadata.version(name)) for name, version in pins.items()
             if metadata.version(name) != version}
    assert not wrong


def test_make_and_docker_install_with_the_lock() -> None:
    """make (and so CI, which runs make) and the Dockerfile install under its constraints."""
    assert "-c requirements.lock" in (REPO / "Makefile").read_text()
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "COPY pyproject.toml README.md requirements.lock" in dockerfile
    assert "pip install -c requirements.lock ." in dockerfile
    assert "make test" in (REPO / ".ci" / "run").read_text()
