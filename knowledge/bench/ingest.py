"""`sunbae bench`: the stores it answers from, and ingest throughput next to bare fp32 encode.

The three largest corpora are ingested once, into a store whose data folder is then copied for
the serving process: only the model's work on them is taken from the evaluation's vector file
(`data/eval-vectors`; it is filled on a miss), since the serving figures measure answering, not
embedding. Ingest throughput is timed on the other corpora, ingested for real on top of that
store, each one's `sunbae ingest` alternating with the bare fp32 encode of its passages.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge.notes.sentence_vectors import passage_sentences

if TYPE_CHECKING:
    from index.embedder import Embedder, TextEmbedder
    from index.tokens import Tokenizer
    from knowledge.core import Sunbae
    from knowledge.settings import Settings

SERVING_CORPORA = 3


def largest_corpora(corpora: list[Path], count: int = SERVING_CORPORA) -> list[Path]:
    """The `count` corpora with the most bytes of notes, largest first."""
    def size(folder: Path) -> int:
        return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    return sorted(corpora, key=size, reverse=True)[:count]


def timed_corpora(corpora: list[Path], serving: list[Path]) -> list[Path]:
    """The corpora whose ingest is timed: those the serving store lacks, or (when it holds
    them all) every corpus, ingested into an empty store."""
    return [c for c in corpora if c not in serving] or list(corpora)


def build_store(settings: Settings, embedder: TextEmbedder, tokenizer: Tokenizer,
                corpora: list[Path], vector_file: Path) -> None:
    """Ingest `corpora` into the store of `settings`, the model's work read from (and added
    to) `vector_file`; the store is the one `sunbae ingest` makes (same embedder name)."""
    from knowledge.core import Sunbae
    from knowledge.evaluation.vector_cache import CachedEmbedder

    cached = CachedEmbedder(embedder, vector_file)
    try:
        core = Sunbae.open(settings, embedder=cached, tokenizer=tokenizer)
        try:
            core.ingest_paths(corpora)
        finally:
            core.close()
    finally:
        cached.close()


def copy_store(source: Path, target: Path) -> None:
    """A closed store's data folder (SQLite file, index and manifest), copied whole."""
    shutil.copytree(source, target)


def measure_ingest(core: Sunbae, embedder: TextEmbedder, baseline: Embedder,
                   timed: list[Path], every: list[Path]) -> dict[str, Any]:
    """Passages/s of `sunbae ingest` over bare fp32 `model.encode` of the same passage texts
    (context line included, same batch size), one corpus at a time, the two alternating.

    Ingest's time includes everything it does: parsing, tokenizing, embedding each passage
    and each distinct sentence of it, and storing; the baseline encodes the passages only.
    """
    ingest_s = bare_s = 0.0
    embedded = encoded = sentences = 0
    for corpus in timed:
        known = {p.id for p in core.stored_passages()}
        embedder.clear_cache()
        started = time.perf_counter()
        report = core.ingest_paths([corpus])
        ingest_s += time.perf_counter() - started
        embedded += report.embedded
        added = [p for p in core.stored_passages() if p.id not in known]
        texts = [baseline.passage_prompt + p.embedded_text for p in added]
        sentences += len({s for p in added for s in passage_sentences(p.text)})
        started = time.perf_counter()
        baseline.model.encode(texts, batch_size=baseline.batch_size,
                              normalize_embeddings=True, show_progress_bar=False)
        bare_s += time.perf_counter() - started
        encoded += len(texts)
    core.ingest_paths(every)  # the store now holds every corpus (the rest are unchanged)
    started = time.perf_counter()
    again = core.ingest_paths(every)
    reingest_s = time.perf_counter() - started
    ingest_rate, bare_rate = embedded / max(ingest_s, 1e-9), encoded / max(bare_s, 1e-9)
    return {
        "corpora": [c.name for c in timed],
        "passages": encoded,
        "sentences": sentences,  # distinct sentences ingest embedded too (the baseline did not)
        "ingest_s": round(ingest_s, 2),
        "bare_encode_s": round(bare_s, 2),
        "ingest_passages_per_s": round(ingest_rate, 2),
        "bare_encode_passages_per_s": round(bare_rate, 2),
        "ingest_ratio": round(ingest_rate / bare_rate, 3) if bare_rate else 0.0,
        "reingest_unchanged_s": round(reingest_s, 3),
        "reingest_embedded": again.embedded,
    }
