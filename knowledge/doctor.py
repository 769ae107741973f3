"""`sunbae doctor`: do the database, the stored vectors, the FAISS index and its manifest agree?"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import func, select

from index.embedder import model_identity
from index.model import model_dir
from index.vectors import read_saved
from knowledge.settings import Settings
from knowledge.store.database import Store
from knowledge.store.models import CuratedAnswer, CuratedPhrase, Passage


@dataclass(frozen=True)
class Finding:
    """One check and what it found."""

    part: str
    ok: bool
    detail: str


def model_folder(settings: Settings) -> Path:
    """The folder of the configured model (not built or loaded here)."""
    if settings.model == "default":
        return model_dir(settings.resolved_model_cache)
    return Path(settings.model)


def examine(settings: Settings) -> list[Finding]:
    """Every agreement check, reading files and rows only (nothing is loaded or repaired)."""
    findings: list[Finding] = []
    store = Store(settings.resolved_database_url)
    try:
        with store.session() as session:
            rows = session.execute(
                select(Passage.id, func.length(Passage.vector)).order_by(Passage.id)
            ).all()
            phrase_sizes = set(session.scalars(select(func.length(CuratedPhrase.vector))))
            unphrased = list(session.scalars(
                select(CuratedAnswer.slug)
                .where(CuratedAnswer.active, ~CuratedAnswer.phrases.any())
            ))
    finally:
        store.close()
    ids = np.asarray([pid for pid, _ in rows], dtype=np.int64)
    sizes = {size for _, size in rows}
    dims = {size // 4 for size in sizes | phrase_sizes}
    findings.append(Finding(
        "stored vectors", len(dims) <= 1,
        f"{len(ids)} passages; vector dimensions {sorted(dims) or '-'}",
    ))
    folder = model_folder(settings)
    if not folder.exists():
        findings.append(Finding("model", False, f"{folder} missing (make model builds it)"))
        return findings
    name = model_identity(folder)
    findings.append(Finding("model", True, name))
    dim = next(iter(dims)) if len(dims) == 1 else 0
    _, problem = read_saved(settings.resolved_index_dir, model=name, dim=dim, expected_ids=ids)
    if problem and not len(ids):
        problem = None if "missing" in problem else problem  # an empty store needs no index
    findings.append(Finding(
        "FAISS index", problem is None,
        problem or f"{len(ids)} ids match the database, model {name}, dimension {dim}",
    ))
    findings.append(Finding(
        "curated answers", not unphrased,
        "every active curated answer has embedded phrasings" if not unphrased
        else f"no embedded phrasings: {', '.join(unphrased)}",
    ))
    return findings


def repair(settings: Settings) -> list[Finding]:
    """Rebuild what disagrees from the database (the index from stored vectors), then re-check."""
    from knowledge.core import Sunbae

    core = Sunbae.open(settings)
    try:
        core.rebuild_index()  # what `sunbae reindex` does
    finally:
        core.close()
    return examine(settings)
