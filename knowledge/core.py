"""Sunbae's two entry points, ask and ingest, behind one facade every transport calls."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Lock, RLock

import numpy as np
from sqlalchemy import select

from index.embedder import Embedder, vectors_from_bytes
from index.glossary import Glossary
from index.search import FusionWeights, HybridIndex
from index.tokens import Tokenizer, shared_tokenizer
from index.vectors import VectorIndex, set_search_threads
from knowledge.answering.answer import Answer
from knowledge.answering.answerer import Answerer
from knowledge.curation.answers import Curation, MatchPolicy
from knowledge.curation.files import shipped_curated_dir
from knowledge.errors import EmptyQuestion, StoreUnavailable
from knowledge.language import question_language
from knowledge.notes.ingest import IndexedPassage, Ingestor, IngestReport, NoteFile, Progress
from knowledge.notes.reading import find_notes, read_note
from knowledge.settings import Settings, get_settings
from knowledge.store.asklog import AskLog, UnansweredGroup
from knowledge.store.database import Store, current_revision
from knowledge.store.following import ChangeFollower
from knowledge.store.models import Passage, Section, Source

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000

# Transports catch this (the database is unreachable; ask, ingest and curate raise it).
__all__ = ["EmptyQuestion", "StoreUnavailable", "Sunbae"]
def sample_journal_dir() -> Path:
    """The bundled sample journal (the week-2 journal Sunbae was designed from)."""
    return Path(__file__).parent / "resources" / "sample"


def settle_heap() -> None:
    """Collect, then freeze what survives (the model, the indexes, their tokens).

    A full garbage collection walks every tracked object and stops every thread, the event
    loop's too: over a loaded model and index it paused the loop up to 240 ms in `make bench`.
    Frozen objects are skipped, so the collections during questions stay in the ms.
    """
    gc.collect()
    gc.freeze()


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


class Sunbae:
    """The knowledge core: a store, an embedder and the indexes that follow the store."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        tokenizer: Tokenizer | None = None,
        weights: FusionWeights | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self.store = Store(self.settings.resolved_database_url)
        self.embedder = embedder or load_embedder(self.settings)
        self.tokenizer = tokenizer or shared_tokenizer()
        self.glossary = Glossary(self.tokenizer.tokens)
        self.index_dir = self.settings.resolved_index_dir
        # Questions read the index and then the rows it points to; an ingest's commit and its
        # index update happen together under this lock, so no answer sees half of a file.
        self._lock = RLock()
        self._ingest_lock = Lock()  # one ingest at a time; its embedding does not block questions
        # Read before the index loads: a change landing in between is caught by the next refresh.
        with self.store.session() as session:
            self._revision = current_revision(session)
        self.index = self._load_index(
            weights
            or FusionWeights(
                dense=self.settings.dense_weight,
                lexical=self.settings.lexical_weight,
                rrf_k=self.settings.rrf_k,
            )
        )
        set_search_threads(1)
        self.curation = Curation(
            self.store,
            self.embedder,
            self.tokenizer,
            MatchPolicy(threshold=self.settings.curated_threshold),
        )
        self.asks = AskLog(self.store)
        self.answerer = Answerer(self.store, self.index, self.tokenizer, self.settings)
        self.ingestor = Ingestor(
            self.store,
            self.embedder,
            self.tokenizer,
            self._apply_to_index,
            write_lock=self._lock,
            chunk_chars=self.settings.chunk_chars,
            with_context=self.settings.chunk_context,
        )
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sunbae")
        self._follower: ChangeFollower | None = None
        settle_heap()

    # -- index --------------------------------------------------------------------------

    def _load_index(self, weights: FusionWeights | None) -> HybridIndex:
        """FAISS from disk when it matches the database, else rebuilt from stored vectors."""
        with self.store.session() as session:
            rows = session.execute(
                select(Passage.id, Passage.section_id, Passage.tokens).order_by(Passage.id)
            ).all()
        ids = np.asarray([r.id for r in rows], dtype=np.int64)
        vectors = VectorIndex.load(
            self.index_dir, model=self.embedder.name, dim=self.embedder.dim, expected_ids=ids
        )
        rebuilt = vectors is None
        index = HybridIndex(vectors or VectorIndex(self.embedder.dim), weights)
        stored = None
        if rebuilt and len(ids):
            stored = self._stored_vectors(ids.tolist())
        index.add(
            [r.id for r in rows], [r.section_id for r in rows], stored,
            [r.tokens.split() for r in rows],
        )
        if rebuilt:
            index.vectors.save(self.index_dir, self.embedder.name)
            log.info("vector index rebuilt from %d stored vectors", len(ids))
        return index

    def _stored_vectors(self, ids: list[int]) -> np.ndarray:
        with self.store.session() as session:
            blobs = dict(session.execute(select(Passage.id, Passage.vector)
                                         .where(Passage.id.in_(ids))).all())
        return vectors_from_bytes([blobs[i] for i in ids], self.embedder.dim)

    def _apply_to_index(self, removed: list[int], added: list[IndexedPassage]) -> None:
        """After this process's own ingest: apply the change, and keep the file in step."""
        with self._lock:
            self._apply(removed, added)
            self.index.vectors.save(self.index_dir, self.embedder.name)

    def _apply(self, removed: list[int], added: list[IndexedPassage]) -> None:
        self.index.remove(removed)
        self.index.add(
            [p.id for p in added],
            [p.section_id for p in added],
            vectors_from_bytes([p.vector for p in added], self.embedder.dim),
            [p.tokens for p in added],
        )

    def refresh(self) -> bool:
        """Catch up with changes other processes made (notes, curated answers); True if any.

        The index follows by the ids added and removed since it was loaded, never by a rebuild.
        """
        with self.store.session() as session:
            revision = current_revision(session)
        if revision == self._revision:
            return False
        with self._lock, self.store.session() as session:
            revision = current_revision(session)
            stored = set(session.scalars(select(Passage.id)))
            held = set(self.index.section_of)
            removed = sorted(held - stored)
            added = sorted(stored - held)
            rows: list[IndexedPassage] = []
            for start in range(0, len(added), 500):
                rows += [
                    IndexedPassage(id=r.id, section_id=r.section_id, tokens=r.tokens.split(),
                                   vector=r.vector)
                    for r in session.execute(
                        select(Passage.id, Passage.section_id, Passage.tokens, Passage.vector)
                        .where(Passage.id.in_(added[start : start + 500]))
                    )
                ]
            self._apply(removed, rows)
            self.curation.reload()
            self._revision = revision
        settle_heap()
        log.info("followed store revision %d: %d passages added, %d removed",
                 revision, len(rows), len(removed))
        return True

    def follow(self, interval: float | None = None) -> None:
        """Keep following other processes' changes on a background thread (long-running
        transports call this; `close` stops it)."""
        if self._follower is None:
            self._follower = ChangeFollower(
                self.refresh, interval or self.settings.follow_seconds
            )
            self._follower.start()

    # -- ingest -------------------------------------------------------------------------

    def ingest_paths(
        self,
        paths: Sequence[Path],
        *,
        author: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest files and folders; a folder's notes that disappeared are removed."""
        notes: list[NoteFile] = []
        prefixes: list[str] = []
        for file, display in find_notes(list(paths)):
            notes.append(NoteFile(key=str(file.resolve()), display=display,
                                  text=read_note(file), author=author))
        for given in paths:
            if given.is_dir():
                prefixes.append(str(given.resolve()) + "/")
        return self.ingest_notes(notes, prune_prefixes=prefixes, progress=progress)

    def ingest_notes(
        self,
        notes: Sequence[NoteFile],
        *,
        prune_prefixes: Sequence[str] = (),
        progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest notes already read (pasted text, attachments)."""
        with self._ingest_lock:
            report = self.ingestor.ingest(notes, prune_prefixes=prune_prefixes,
                                          progress=progress)
        settle_heap()  # the new passages' tokens are long-lived too
        return report

    def unanswered(self, *, limit: int = 50) -> list[UnansweredGroup]:
        """Questions Sunbae could not answer, alike ones grouped by meaning, most asked first."""
        return self.asks.unanswered(limit=limit, embed=self.embedder.embed_queries)

    def source_author(self, key: str) -> str | None:
        """Who ingested a source (None when it is not stored or has no author)."""
        with self.store.session() as session:
            return session.scalar(select(Source.author).where(Source.path == key))

    def source_exists(self, key: str) -> bool:
        """Whether a source with this key is stored."""
        with self.store.session() as session:
            return session.scalar(select(Source.id).where(Source.path == key)) is not None

    def remove_source(self, key: str) -> bool:
        """Remove one source, its sections and passages (and them from the index)."""
        with self._ingest_lock:
            report = self.ingestor.ingest([], remove=[key])
        return key in report.removed

    def load_shipped_curated(self) -> dict[str, list[str]]:
        """Import the curated answers shipped in the repo."""
        return self.curation.import_dir(shipped_curated_dir())

    # -- ask ----------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        *,
        user: str | None = None,
        channel: str | None = None,
        max_citations: int | None = None,
        record: bool = True,
    ) -> Answer:
        """Answer one question: a curated answer, an extract of the journals, or 'not yet'."""
        started = time.perf_counter()
        text = " ".join(question.split())[:MAX_QUESTION_CHARS]
        if not any(ch.isalnum() for ch in text):
            raise EmptyQuestion("질문을 입력해 주세요 (the question is empty).")
        language = question_language(text)
        limit = max_citations or self.settings.max_citations
        query_vector = self.embedder.embed_query(text)
        with self._lock:
            query_tokens = self.index.lexical.split_compounds(self.tokenizer.tokens(text))
            match = self.curation.match(query_vector, query_tokens)
            # The glossary widens only the search; the answerability signals were calibrated on
            # the question's own words.
            search_tokens = self.glossary.expand(query_tokens)
            extra = dict.fromkeys(search_tokens[len(query_tokens):], self.settings.glossary_weight)
            ranking = self.index.search(query_vector, search_tokens, max(limit, 10), extra)
            hits = ranking.sections
            weights = self.answerer.query_weights(query_tokens)
            # Still under the lock: the rows read next must be those the index ranked.
            if match is not None:
                answer = self.answerer.curated_answer(text, language, match, limit, weights)
            else:
                answer = self.answerer.passage_answer(text, language, ranking, weights, limit)
        answer.ranked_section_ids = [h.section_id for h in hits]
        answer.latency_ms = (time.perf_counter() - started) * 1000
        if record:
            answer.ask_id = self.asks.record(answer, user=user, channel=channel)
        return answer

    async def ask_async(self, question: str, **kwargs: object) -> Answer:
        """`ask` off the event loop, so a slow question never stalls a chat gateway."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: self.ask(question, **kwargs))

    # -- reading back -------------------------------------------------------------------

    def sections_for_day(self, day: str) -> list[tuple[Section, str]]:
        """Sections whose day label (`Day 8`) or citation label matches, with source paths."""
        wanted = day.strip()
        if wanted.isdigit():
            wanted = f"Day {wanted}"
        with self.store.session() as session:
            return list(session.execute(
                select(Section, Source.path)
                .join(Source, Section.source_id == Source.id)
                .where((Section.day_label == wanted) | (Section.label == wanted))
                .order_by(Source.path, Section.ordinal)
            ).all())

    def close(self) -> None:
        """Stop the worker threads and release the database."""
        if self._follower is not None:
            self._follower.stop()
        self._executor.shutdown(wait=True)
        self.store.close()


