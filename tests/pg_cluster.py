"""A throwaway PostgreSQL cluster for the tests: initdb in a temp dir, served on a Unix socket."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg


def find_pg_bin() -> Path | None:
    """The newest `/usr/lib/postgresql/N/bin` holding initdb and pg_ctl, else PATH's."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    for folder in reversed(candidates):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


@dataclass
class PgCluster:
    """One private server: data and socket in `root`, run as `postgres` when we are root."""

    bin_dir: Path
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="sunbae-pg-")))
    user: str = "sunbae"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            # initdb and postgres refuse to run as root.
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def init(self) -> None:
        """initdb with a trusting local-only configuration (nobody else can reach it)."""
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o755)
        self._run(
            "initdb", "-D", str(self.data_dir), "-U", self.user, "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )

    def start(self) -> None:
        """Start listening on the Unix socket only (no TCP port to collide on)."""
        options = (
            f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data_dir), "-l", str(self.root / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )

    def stop(self) -> None:
        """Stop fast (running transactions are cut off, as in an outage)."""
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        """Stop if running and remove every file."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def admin_url(self) -> str:
        return f"host={self.socket_dir} user={self.user} dbname=postgres"

    def sqlalchemy_url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@/{database}?host={self.socket_dir}"


def create_database(admin_conninfo: str, prefix: str = "sunbae_test") -> str:
    """A new empty database on the server; its name."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(admin_conninfo: str, name: str) -> None:
    """Drop a test database, cutting off any connection still open to it."""
    with psycopg.connect(admin_conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
