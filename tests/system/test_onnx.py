"""The shipped int8 ONNX embedder: its vectors against torch fp32, a start without torch, and
stores made by another variant (kept) or another model (embedded again)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select, update

from index.embedder import Embedder, vectors_from_bytes
from index.onnx_embedder import OnnxEmbedder
from knowledge.core import Sunbae
from knowledge.indexing import re_embed_outdated
from knowledge.settings import Settings
from knowledge.store.database import Store
from knowledge.store.models import Passage
from tests.conftest import REPO, SAMPLE, model_cache

QUESTIONS = ["collate_fn이 뭐야?", "두런두런 행사에서 마스터님이 무슨 얘기 했어?",
             "contiguous가 뭐야?", "Resize(244) 하고 CenterCrop(224) 하면 뭐가 달라?"]

# Opens Sunbae with the default settings (from the environment), ingests a note and the shipped
# curated answers (both embedded here) and asks; then reports the answers, what embedded them,
# and whether torch, transformers or sentence-transformers were ever imported.
NO_TORCH_PROBE = """
import json, sys
from knowledge.core import Sunbae
from knowledge.notes.ingest import NoteFile

core = Sunbae.open()
note = NoteFile(key="extra.md", display="extra.md",
                text="# Day 30 - 도커\\n\\n도커 컴포즈로 postgres 와 bot 을 같이 띄웠다.\\n")
core.ingest_notes([note])
core.load_shipped_curated()
answer = core.ask(sys.argv[1], record=False)
journal = core.ask(sys.argv[2], record=False)
docker = core.ask("도커 컴포즈로 뭘 띄웠어?", record=False)
core.close()
print(json.dumps({
    "kind": answer.kind, "top": journal.citations[0].label,
    "docker_top": docker.citations[0].label if docker.citations else None,
    "embedder": core._embedder.name,
    "heavy": sorted(m for m in ("torch", "transformers", "sentence_transformers")
                    if m in sys.modules),
}))
"""


def journal_lines(count: int = 20) -> list[str]:
    """The first `count` lines of the sample journal long enough to mean something."""
    text = (SAMPLE / "week2.md").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if len(line.strip()) >= 30][:count]


def stored_rows(settings: Settings) -> list[tuple[int, str | None, bytes]]:
    """(id, embedder, vector) of every stored passage."""
    store = Store(settings.resolved_database_url)
    try:
        with store.session() as session:
            return [tuple(row) for row in session.execute(  # type: ignore[misc]
                select(Passage.id, Passage.embedder, Passage.vector).order_by(Passage.id))]
    finally:
        store.close()


def top_days(core: Sunbae) -> list[str | None]:
    """The first citation of each question (None: Sunbae abstained)."""
    answers = [core.ask(q, record=False) for q in QUESTIONS]
    return [a.citations[0].label if a.citations else None for a in answers]


def test_int8_vectors_are_close_to_torch_fp32(
    embedder: OnnxEmbedder, torch_embedder: Embedder
) -> None:
    """On 20 real journal lines, every int8 vector has cosine >= 0.99 to torch's fp32 one, as
    passages and as questions; both engines name the same family."""
    lines = journal_lines()
    assert len(lines) == 20
    assert embedder.family == torch_embedder.family
    assert embedder.name == f"{embedder.family}/onnx-int8"
    assert torch_embedder.name == f"{torch_embedder.family}/torch"
    passages = np.sum(embedder.embed_passages(lines) * torch_embedder.embed_passages(lines), 1)
    queries = np.array([embedder.embed_query(t) @ torch_embedder.embed_query(t) for t in lines])
    assert passages.min() >= 0.99, passages
    assert queries.min() >= 0.99, queries


def run(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    """A fresh interpreter in `data_dir` with default settings but the data and model folders."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SUNBAE_", "DISCORD_"))}
    clean |= {"SUNBAE_DATA_DIR": str(data_dir), "SUNBAE_MODEL_CACHE": str(model_cache()),
              "PYTHONPATH": str(REPO)} | env
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          cwd=data_dir, env=clean, timeout=900)


def test_default_start_asks_without_torch_and_re_embeds_on_request(
    tmp_path: Path, embedder: OnnxEmbedder
) -> None:
    """A store ingested with SUNBAE_EMBEDDER=torch is opened by the default settings in a fresh
    process: it answers and ingests without ever importing torch, keeps torch's vectors (same
    family), and `reindex --re-embed` then converts every row."""
    ingest = run(["-m", "bot.cli.main", "ingest", str(SAMPLE)], tmp_path, SUNBAE_EMBEDDER="torch")
    assert ingest.returncode == 0, ingest.stderr
    settings = Settings(_env_file=None, data_dir=tmp_path)
    torch_name = f"{embedder.family}/torch"
    assert {name for _, name, _ in stored_rows(settings)} == {torch_name}

    probe = run(["-c", NO_TORCH_PROBE, QUESTIONS[0], QUESTIONS[1]], tmp_path)
    assert probe.returncode == 0, probe.stderr[-3000:]
    seen = json.loads(probe.stdout.strip().splitlines()[-1])
    assert seen["heavy"] == [] and seen["embedder"] == embedder.name
    assert seen["kind"] == "curated" and seen["docker_top"].startswith("extra.md")
    names = [name for _, name, _ in stored_rows(settings)]
    assert names.count(embedder.name) >= 1 and names.count(torch_name) >= 20  # torch's kept

    for question, field, expected in ((QUESTIONS[0], "kind", "curated"),
                                      (QUESTIONS[1], "label", seen["top"])):
        asked = run(["-m", "bot.cli.main", "ask", "--json", question], tmp_path)
        assert asked.returncode == 0, asked.stderr[-3000:]
        payload = json.loads(asked.stdout)
        assert (payload if field == "kind" else payload["citations"][0])[field] == expected

    reindexed = run(["-m", "bot.cli.main", "reindex", "--re-embed"], tmp_path)
    assert reindexed.returncode == 0, reindexed.stderr[-3000:]
    assert f"re-embedded: {names.count(torch_name)} passages" in reindexed.stdout
    assert {name for _, name, _ in stored_rows(settings)} == {embedder.name}


def test_torch_store_opened_with_int8_keeps_its_vectors_and_top_days(
    settings: Settings, embedder: OnnxEmbedder, torch_embedder: Embedder
) -> None:
    """fp32 vectors of the same weights are searched as they are with int8 questions: nothing
    is re-embedded and each question's top day stays; re-embedding converts every row."""
    core = Sunbae.open(settings, embedder=torch_embedder)
    core.ingest_paths([SAMPLE])
    expected = top_days(core)
    core.close()
    assert sum(day is not None for day in expected) >= 3, expected
    before = stored_rows(settings)
    core = Sunbae.open(settings, embedder=embedder)
    try:
        assert stored_rows(settings) == before
        assert top_days(core) == expected
    finally:
        core.close()
    store = Store(settings.resolved_database_url)
    try:
        passages, _ = re_embed_outdated(store, embedder, core._tokenizer, settings)
    finally:
        store.close()
    assert passages == len(before)
    assert {name for _, name, _ in stored_rows(settings)} == {embedder.name}
    core = Sunbae.open(settings, embedder=embedder)
    try:
        assert top_days(core) == expected
    finally:
        core.close()


def test_rows_of_another_model_are_re_embedded_at_open(
    sample_core: Sunbae, settings: Settings, embedder: OnnxEmbedder
) -> None:
    """Rows that claim another model's weights (here: vectors scrambled, as another space would
    be) are embedded again before the index loads, and answers come back."""
    expected = top_days(sample_core)
    sample_core.close()
    original = stored_rows(settings)
    store = Store(settings.resolved_database_url)
    try:
        with store.session() as session:
            for pid, _, vector in original:
                scrambled = np.roll(vectors_from_bytes([vector], embedder.dim)[0], 7)
                session.execute(update(Passage).where(Passage.id == pid).values(
                    embedder="another-model:0123456789ab/torch", vector=scrambled.tobytes()))
    finally:
        store.close()
    core = Sunbae.open(settings, embedder=embedder)
    try:
        after = stored_rows(settings)
        assert {name for _, name, _ in after} == {embedder.name}
        old = vectors_from_bytes([v for _, _, v in original], embedder.dim)
        new = vectors_from_bytes([v for _, _, v in after], embedder.dim)
        assert np.sum(old * new, axis=1).min() >= 0.98  # int8: batch neighbours differ
        assert top_days(core) == expected
    finally:
        core.close()


@pytest.mark.parametrize("variant", ["onnx-int8", "torch"])
def test_doctor_expects_the_configured_variant(
    sample_core: Sunbae, settings: Settings, variant: str
) -> None:
    """`sunbae doctor` names the embedder the settings load and checks stored vectors' model."""
    from knowledge.doctor import examine

    sample_core.close()
    findings = {f.part: f for f in examine(settings.model_copy(update={"embedder": variant}))}
    assert findings["model"].ok and f"/{variant} " in findings["model"].detail
    assert findings["stored embedders"].ok
    assert findings["FAISS index"].ok == (variant == "onnx-int8")
