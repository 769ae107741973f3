"""`sunbae bench --json` at small sizes: every figure issue 10 names is there, and sane."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, SAMPLE, model_cache
from tests.knowledge.test_bench_fast import ISSUE_KEYS

QUESTIONS = [
    {"id": "b1", "q": "collate_fn이 뭐야?", "lang": "ko"},
    {"id": "b2", "q": "Resize(244) 하고 CenterCrop(224) 하면 뭐가 달라?", "lang": "ko"},
    {"id": "b3", "q": "What is a leaf variable in PyTorch?", "lang": "en"},
]


def test_bench_json_has_every_key(tmp_path: Path) -> None:
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS))
    env = {**os.environ, "SUNBAE_DATA_DIR": str(tmp_path / "data"),
           "SUNBAE_MODEL_CACHE": str(model_cache()), "PYTHONPATH": str(REPO)}
    env.pop("SUNBAE_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "bench", "--json", "--corpus", str(SAMPLE),
         "--questions", str(questions), "--max-passages", "12000"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=1800,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(figures) >= ISSUE_KEYS
    assert all(figures[k] > 0 for k in ISSUE_KEYS)
    assert figures["cold_start"]["torch_imported"] is False
    assert figures["cold_start"]["answered"] == 200
    sizes = figures["sizes"]
    assert [s["generated"] for s in sizes] == [False, True]  # the sample, then 10k generated
    for size in sizes:
        assert {"search_p50_ms", "ann_recall_at_10", "flat_p50_ms"} <= set(size)
        assert 0.0 < size["ann_recall_at_10"] <= 1.0
