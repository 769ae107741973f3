"""The bench's stores and ingest measure on small corpora with the fake embedder."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from index.tokens import Tokenizer
from knowledge.bench.ingest import build_store, copy_store, measure_ingest, timed_corpora
from knowledge.bench.phases import PhaseClock
from knowledge.core import Sunbae
from knowledge.settings import Settings
from tests.fakes import FakeEmbedder


class _Encoder:
    """`model.encode` of the fp32 baseline: records what it was given."""

    def __init__(self) -> None:
        self.given: list[str] = []

    def encode(self, texts: list[str], **_options: Any) -> np.ndarray:
        self.given += texts
        return np.zeros((len(texts), 4), dtype=np.float32)


class _Baseline:
    passage_prompt = "passage: "
    batch_size = 32

    def __init__(self) -> None:
        self.model = _Encoder()


def _corpus(root: Path, name: str, *days: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    for n, day in enumerate(days, start=1):
        (folder / f"day{n}.md").write_text(f"# Day {n} - {day}\n{day}에 대해 배웠다. {day} 정리.\n",
                                            encoding="utf-8")
    return folder


def test_timed_corpora_are_those_the_serving_store_lacks(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert timed_corpora([a, b, c], [a, c]) == [b]
    assert timed_corpora([a], [a]) == [a]  # one corpus: timed into an empty store


def test_serving_store_copied_then_rest_ingested_and_timed(
    tmp_path: Path, fake_embedder: FakeEmbedder, tokenizer: Tokenizer
) -> None:
    big = _corpus(tmp_path / "corpora", "big", "텐서", "역전파", "옵티마이저")
    small = _corpus(tmp_path / "corpora", "small", "데이터로더")
    vector_file = tmp_path / "vectors" / "vectors.sqlite"
    serving = Settings(_env_file=None, data_dir=tmp_path / "serve",
                       model_cache=tmp_path / "no-model")
    build_store(serving, fake_embedder, tokenizer, [big], vector_file)  # type: ignore[arg-type]
    with sqlite3.connect(vector_file) as db:
        assert db.execute("SELECT count(*) FROM vectors").fetchone()[0] > 0
    fresh = serving.model_copy(update={"data_dir": tmp_path / "fresh"})
    copy_store(serving.data_dir, fresh.data_dir)
    core = Sunbae.open(fresh, embedder=fake_embedder, tokenizer=tokenizer)  # type: ignore[arg-type]
    try:
        held = len(core.stored_passages())
        baseline = _Baseline()
        result = measure_ingest(core, fake_embedder, baseline,  # type: ignore[arg-type]
                                [small], [big, small])
        stored = core.stored_passages()
    finally:
        core.close()
    assert held > 0 and result["corpora"] == ["small"]
    # The baseline encoded exactly the passages the timed ingest added, prompted.
    added = [p.embedded_text for p in stored][held:]
    assert baseline.model.given == ["passage: " + t for t in added]
    assert result["passages"] == len(added) == len(stored) - held
    assert result["reingest_embedded"] == 0 and result["ingest_passages_per_s"] > 0
    assert result["sentences"] >= result["passages"]  # each passage has a sentence at least


def test_phase_clock_adds_up_repeated_phases() -> None:
    clock = PhaseClock()
    with clock.phase("a"):
        pass
    with clock.phase("a"):
        pass
    report = clock.report()
    assert set(report) == {"a", "total"} and report["total"] >= report["a"] >= 0
