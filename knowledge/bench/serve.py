"""`sunbae bench`: a new process's start-up time, and its memory while it answers (no torch)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# The process's own peak resident memory, in MB. VmHWM is this process's own. ru_maxrss is not:
# exec keeps the high-water mark of the memory it replaces, which after subprocess's vfork is
# the parent's (the bench's process, holding the model and Kiwi, was once measured this way).
PEAK_MB = """
import resource
def peak_mb():
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) / 1024 for l in status if l.startswith("VmHWM"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

# Run in a fresh interpreter over the bench's data folder (its corpora already ingested and
# indexed). Times are wall-clock epochs, so the parent can count the interpreter's own start.
SERVE = PEAK_MB + """
import json, os, sys, time
def rss_mb():
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) / 1024 for l in status if l.startswith("VmRSS"))
    except OSError:
        return None
from knowledge.core import Sunbae
from knowledge.settings import Settings
from knowledge.startup import load_embedder
t_import, rss = time.time(), {"import": rss_mb()}
settings = Settings(data_dir=sys.argv[1], model_cache=sys.argv[2])
questions, n = json.loads(sys.argv[3]), int(sys.argv[4])
embedder = load_embedder(settings)
t_model, rss["model"] = time.time(), rss_mb()
core = Sunbae.open(settings, embedder=embedder)
t_index, rss["index"] = time.time(), rss_mb()
core.ask(questions[0], record=False)
t_answer, rss["first_answer"] = time.time(), rss_mb()
for i in range(n):
    core.ask(questions[i % len(questions)], user="bench-serve")
rss["answers"] = rss_mb()
core.close()
print(json.dumps({"t_import": t_import, "t_model": t_model, "t_index": t_index,
                  "t_answer": t_answer, "answered": n, "rss_mb_after": rss,
                  "load_average": os.getloadavg()[0],
                  "peak_rss_mb": peak_mb(),
                  "torch_imported": "torch" in sys.modules}))
"""


def parse_serve(launched: float, output: str) -> dict[str, Any]:
    """The figures of one serving process from its last output line and its launch time."""
    raw = json.loads(output.strip().splitlines()[-1])
    return {
        "cold_start_s": round(raw["t_answer"] - launched, 2),
        "import_s": round(raw["t_import"] - launched, 2),  # interpreter start included
        "model_load_s": round(raw["t_model"] - raw["t_import"], 2),
        "index_load_s": round(raw["t_index"] - raw["t_model"], 2),
        "first_answer_s": round(raw["t_answer"] - raw["t_index"], 2),
        "serve_rss_mb": round(raw["peak_rss_mb"], 1),
        "answered": raw["answered"],
        "torch_imported": raw["torch_imported"],
        # Resident MB after each step (where it grew), and the 1-minute load at the end.
        "rss_mb_after": {k: v if v is None else round(v, 1)
                         for k, v in (raw.get("rss_mb_after") or {}).items()},
        "load_average": raw.get("load_average"),
    }


def measure_serve(
    data_dir: Path, model_cache: Path, questions: list[str], n: int = 200
) -> dict[str, Any]:
    """Start a process on a data folder: time to its first answer, then its peak resident
    memory after `n` more answers. It never loads the torch baseline; `torch_imported`
    says whether anything imported torch anyway."""
    launched = time.time()
    result = subprocess.run(
        [sys.executable, "-c", SERVE, str(data_dir), str(model_cache),
         json.dumps(questions, ensure_ascii=False), str(n)],
        capture_output=True, text=True, check=True,
    )
    return parse_serve(launched, result.stdout)
