"""`sunbae bench`: the slowest `sunbae ingest` of one 300 KB hostile note (issue 12's < 10 s).

Each note is an input that made a backtracking regex run for minutes or hours; the parsers are
linear now. The figure is the wall time of a whole new `sunbae ingest FILE` process (start-up
included, as a person running it waits for it), the slowest of all the notes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIZE = 300_000

HOSTILE: dict[str, str] = {
    "heading with a run of spaces": "# a" + " " * SIZE + "b\n",
    "heading with closing hashes": "# a" + " #" * (SIZE // 2) + "b\n",
    "run of dots": "x" + "." * SIZE + "\n",
    "dots and spaces": "a" + ". " * (SIZE // 2),
    "bullet heading in a weekly journal": (
        "# Week 1\n## Day 1 (1/1)\n- # a" + " " * SIZE + "b\n## Day 2 (1/2)\nx\n"
    ),
    "quoted heading in a weekly journal": (
        "# Week 1\n> # a" + " " * SIZE + "b\n## Day 1 (1/1)\nx\n## Day 2 (1/2)\ny\n"
    ),
    "blank lines inside details": "<details>\n<summary>t" + "\n" * SIZE + "x\n</details>\n",
    "details Date line": "<details><summary>x</summary>\nDate:" + " " * SIZE + "x\n</details>\n",
    "unclosed summaries": "<details><summary>" + "<summary>" * (SIZE // 9) + "\n</details>",
    "summary of angle brackets": "<details><summary>" + "<" * SIZE + "</summary>\nx\n</details>",
    "front matter value with spaces": "---\na: x" + " " * SIZE + "y\n---\nbody\n",
    "front matter title with spaces": "---\ntitle: x" + " " * SIZE + "y\n---\nbody\n",
    "table of contents brackets": "- [" + "](#" * (SIZE // 3) + "\n",
    "repeated day title": "# Day 1 " + "Day 1 " * (SIZE // 6) + "\n",
    "nested brackets in front matter": "---\na: " + "[" * SIZE + "\n---\nbody\n",
}


PLAIN_NOTE = "## Day 1 (1/1)\n오늘은 한 줄만 적었다.\n"


def note_file_name(name: str) -> str:
    """A hostile note's file name (`run-of-dots.md`)."""
    return re.sub(r"[^a-z]+", "-", name) + ".md"


def _ingest_seconds(note: Path, data_dir: Path, model_cache: Path) -> float:
    """Wall time of one `sunbae ingest NOTE` process on its own data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUNBAE_", "DISCORD_"))}
    env |= {"SUNBAE_DATA_DIR": str(data_dir), "SUNBAE_MODEL_CACHE": str(model_cache)}
    started = time.perf_counter()
    # The CLI by module name, as the `sunbae` script runs it (the bench imports nothing of it).
    subprocess.run([sys.executable, "-m", "bot.cli.main", "ingest", str(note)],
                   capture_output=True, text=True, check=True, env=env, timeout=600)
    return time.perf_counter() - started


def measure_hostile_ingest(model_cache: Path,
                           names: list[str] | None = None) -> dict[str, Any]:
    """`hostile_ingest_max_s`: the slowest `sunbae ingest` of one hostile note, each in a new
    process and a fresh store; `hostile_ingest_s` holds every note's time, and
    `plain_ingest_s` the same for a one-line note (the start-up part of every figure)."""
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="sunbae-hostile-") as tmp:
        # A one-line note first: the start-up every run pays, to read the others against.
        plain = Path(tmp) / "plain.md"
        plain.write_text(PLAIN_NOTE, encoding="utf-8")
        baseline = round(_ingest_seconds(plain, Path(tmp) / "data-plain", model_cache), 2)
        for n, name in enumerate(names or list(HOSTILE)):
            note = Path(tmp) / note_file_name(name)
            note.write_text(HOSTILE[name], encoding="utf-8")
            data_dir = Path(tmp) / f"data-{n}"
            seconds[name] = round(_ingest_seconds(note, data_dir, model_cache), 2)
    return {"hostile_ingest_max_s": max(seconds.values()), "hostile_ingest_s": seconds,
            "plain_ingest_s": baseline}
