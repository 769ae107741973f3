"""docker-compose.yml: accepted by `docker compose config`, and no secret written in it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def compose_command() -> list[str] | None:
    """`docker compose` (v2 plugin), else the standalone `docker-compose`, else None."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=60)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def compose_config(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `compose config` on the repo's file with only `env` set (a developer's .env ignored)."""
    command = compose_command()
    if command is None:
        pytest.skip("no docker compose client on this machine")
    empty = tmp_path / "empty.env"
    empty.write_text("")
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DISCORD_TOKEN", "POSTGRES_PASSWORD"} and not k.startswith("SUNBAE_")}
    return subprocess.run(
        [*command, "--env-file", str(empty), "-f", str(REPO / "docker-compose.yml"), "config"],
        capture_output=True, text=True, timeout=120, cwd=REPO, env=clean | env,
    )


def test_compose_file_is_valid(tmp_path: Path) -> None:
    """With a password and token in the environment, the file resolves to the expected URL."""
    result = compose_config(tmp_path, POSTGRES_PASSWORD="test", DISCORD_TOKEN="dummy-token")
    assert result.returncode == 0, result.stderr
    assert "postgresql+psycopg://sunbae:test@postgres:5432/sunbae" in result.stdout
    assert "postgres:16" in result.stdout


def test_compose_refuses_to_run_without_a_password(tmp_path: Path) -> None:
    """No default password hides in the file: without POSTGRES_PASSWORD it is rejected."""
    result = compose_config(tmp_path, DISCORD_TOKEN="dummy-token")
    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr
