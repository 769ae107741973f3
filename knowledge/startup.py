"""The steps that open a knowledge core, in order, each one thing (see `Sunbae.open`)."""

from __future__ import annotations

import gc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from index.embedder import Embedder
from index.search import FusionWeights, HybridIndex
from index.tokens import Tokenizer
from index.vectors import set_search_threads
from knowledge.curation.answers import Curation, MatchPolicy
from knowledge.indexing import load_index
from knowledge.settings import Settings
from knowledge.store.database import Store, current_revision

WORKERS = 2  # questions answered at once off an event loop (ask_async)


def open_store(settings: Settings) -> Store:
    """Open the database and migrate its schema to head."""
    return Store(settings.resolved_database_url)


def load_embedder(settings: Settings) -> Embedder:
    """The configured model: the bundled default (converted once) or a local folder."""
    if settings.model == "default":
        from index.model import ensure_default_model, model_dir

        path = ensure_default_model(model_dir(settings.resolved_model_cache))
    else:
        path = Path(settings.model)
        if not path.exists():
            raise FileNotFoundError(
                f"SUNBAE_MODEL={settings.model}: no such folder (models load from disk only)"
            )
    return Embedder(
        path,
        query_prompt=settings.query_prompt,
        passage_prompt=settings.passage_prompt,
        threads=settings.torch_threads,
        batch_size=settings.embed_batch,
    )


def read_revision(store: Store) -> int:
    """The store's change counter; read before the index loads, so a change landing in
    between is caught by the next refresh rather than missed."""
    with store.session() as session:
        return current_revision(session)


def load_or_rebuild_index(
    store: Store, embedder: Embedder, tokenizer: Tokenizer, settings: Settings,
    weights: FusionWeights,
) -> HybridIndex:
    """The search index from disk when it matches the database, else rebuilt from it."""
    index = load_index(store, embedder, tokenizer, settings.resolved_index_dir, weights)
    set_search_threads(1)  # one question, one FAISS thread (OpenMP start-up costs more)
    return index


def load_curated(
    store: Store, embedder: Embedder, tokenizer: Tokenizer, settings: Settings
) -> Curation:
    """The curated answers and the matcher over their embedded phrasings."""
    return Curation(store, embedder, tokenizer,
                    MatchPolicy(threshold=settings.curated_threshold))


def start_worker_pool() -> ThreadPoolExecutor:
    """The threads `ask_async` answers on, so a slow question never blocks an event loop."""
    return ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="sunbae")


def settle_heap() -> None:
    """Collect, then freeze what survives (the model, the indexes, their tokens).

    A full garbage collection walks every tracked object and stops every thread, the event
    loop's too: over a loaded model and index it paused the loop up to 240 ms in `make bench`.
    Frozen objects are skipped, so the collections during questions stay in the ms.
    """
    gc.collect()
    gc.freeze()
