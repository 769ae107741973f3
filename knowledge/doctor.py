"""`sunbae doctor`: do the database, the stored vectors, the FAISS index and its manifest agree?"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import func, select

from index.embedder import family_of, model_identity
from index.model.onnx_folder import read_manifest
from index.vectors import read_saved
from knowledge.reembedding import VectorPolicy
from knowledge.settings import Settings
from knowledge.startup import model_folders, onnx_is_current
from knowledge.store.database import Store
from knowledge.store.models import CuratedAnswer, CuratedPhrase, Passage


@dataclass(frozen=True)
class Finding:
    """One check and what it found."""

    part: str
    ok: bool
    detail: str


def model_folder(settings: Settings) -> Path:
    """The folder the configured embedder loads: the ONNX export, or for SUNBAE_EMBEDDER=torch
    the sentence-transformers folder (not built or loaded here)."""
    st_folder, onnx_folder = model_folders(settings)
    return st_folder if settings.embedder == "torch" else onnx_folder


def expected_embedder(settings: Settings) -> tuple[str | None, str]:
    """The name the configured embedder will have (`<family>/<variant>`, read from files, no
    model loaded), or None and what is missing."""
    try:
        st_folder, onnx_folder = model_folders(settings)
    except FileNotFoundError as exc:
        return None, str(exc)
    if settings.embedder == "torch":
        if not st_folder.exists():
            return None, f"{st_folder} missing (make model builds it)"
        return f"{model_identity(st_folder)}/torch", str(st_folder)
    if not onnx_is_current(settings, st_folder, onnx_folder):
        return None, f"{onnx_folder} missing or out of date (make model builds it)"
    manifest = read_manifest(onnx_folder) or {}
    return f"{manifest.get('family')}/{settings.embedder}", str(onnx_folder)


def _embedders_finding(settings: Settings, name: str, counts: dict[str | None, int]) -> Finding:
    """Whether every stored passage vector comes from the configured model's weights."""
    policy = VectorPolicy(name, family_of(name), legacy_is_current=settings.model == "default")
    foreign = {n or "unrecorded": c for n, c in counts.items() if policy.foreign(n)}
    shown = ", ".join(f"{n or 'unrecorded'}: {c}" for n, c in counts.items()) or "-"
    if foreign:
        return Finding("stored embedders", False,
                       f"{sum(foreign.values())} passages from another model ({shown}); "
                       "the next start embeds them again")
    return Finding("stored embedders", True, shown)


def examine(settings: Settings) -> list[Finding]:
    """Every agreement check, reading files and rows only (nothing is loaded or repaired)."""
    findings: list[Finding] = []
    store = Store(settings.resolved_database_url, existing_space=settings.existing_space)
    try:
        with store.session() as session:
            rows = session.execute(
                select(Passage.id, func.length(Passage.vector)).order_by(Passage.id)
            ).all()
            counts = dict(session.execute(
                select(Passage.embedder, func.count(Passage.id)).group_by(Passage.embedder)
            ).all())
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
    name, where = expected_embedder(settings)
    if name is None:
        findings.append(Finding("model", False, where))
        return findings
    findings.append(Finding("model", True, f"{name} ({where})"))
    findings.append(_embedders_finding(settings, name, counts))
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
