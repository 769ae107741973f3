"""Sunbae's facade: the one door every transport (CLI, terminal chat, Discord) goes through."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypedDict, Unpack

from index.embedder import TextEmbedder
from index.search import FusionWeights, HybridIndex
from index.tokens import Tokenizer, shared_tokenizer
from knowledge import indexing, lookups, startup
from knowledge.answering.answer import Answer
from knowledge.answering.answerer import Answerer
from knowledge.conversation import Conversation, ConversationFacade
from knowledge.curation.answers import CuratedView, Curation
from knowledge.curation.files import shipped_curated_dir
from knowledge.errors import EmptyQuestion, StoreUnavailable
from knowledge.facade_choices import ChoicesFacade
from knowledge.facade_maintainers import MaintainersFacade
from knowledge.facade_quota import IngestQuotaFacade
from knowledge.language import question_language
from knowledge.notes.ingest import (
    IndexedPassage,
    Ingestor,
    IngestReport,
    NoteFile,
    Progress,
    read_notes,
)
from knowledge.notes.ingest_lock import IngestLock
from knowledge.readwrite_lock import ReadWriteLock
from knowledge.settings import Settings, get_settings
from knowledge.spaces import SHARED, acting_space, seen_spaces, shipped_sample_dir
from knowledge.spaces import writable_space as _writable_space
from knowledge.store.asklog import AskLog, UnansweredGroup
from knowledge.store.database import Store, current_revision
from knowledge.store.following import ChangeFollower
from knowledge.views import AskRecord, CuratedVersionView, DaySection, KnowledgeStats, StoredPassage

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000

# Transports catch StoreUnavailable (the database is unreachable; ask, ingest and curate raise it).
__all__ = ["EmptyQuestion", "StoreUnavailable", "Sunbae", "sample_journal_dir"]


def sample_journal_dir() -> Path:
    """The bundled sample journal (the week-2 journal Sunbae was designed from)."""
    return shipped_sample_dir()


class AskOptions(TypedDict, total=False):
    """The keyword options of `Sunbae.ask`, for `ask_async` to pass on unchanged."""

    space: str | None
    user: str | None
    channel: str | None
    max_citations: int | None
    record: bool
    context: Conversation | None


class Sunbae(MaintainersFacade, ConversationFacade, IngestQuotaFacade, ChoicesFacade):
    """The knowledge core: a store, an embedder and the indexes that follow the store.
    Start one with `Sunbae.open(settings)`; the constructor takes parts already built."""

    def __init__(
        self,
        settings: Settings,
        *,
        store: Store,
        embedder: TextEmbedder,
        tokenizer: Tokenizer,
        index: HybridIndex,
        curation: Curation,
        workers: ThreadPoolExecutor,
        revision: int,
    ) -> None:
        self.settings = settings
        self._store = store
        self._embedder = embedder
        self._tokenizer = tokenizer
        self._index_dir = settings.resolved_index_dir
        self._index = index
        self._answerer = Answerer(store, index, tokenizer, settings)
        self._curation = curation
        self._asks = AskLog(store)
        # Questions read the index together; an ingest's commit and index update are one write
        # (no answer sees half a file), which ends with BM25 indexing its added tail, not readers.
        self._lock = ReadWriteLock(settle=lambda: self._index.knows(""))
        # One ingest at a time, across processes too; its embedding does not block questions.
        self._ingest_lock = IngestLock(self._index_dir / "ingest.lock")
        self._ingestor = Ingestor(
            store, embedder, tokenizer, self._apply_to_index, write_lock=self._lock.write,
            ingest_lock=self._ingest_lock, catch_up=self.refresh,
            chunk_chars=settings.chunk_chars, with_context=settings.chunk_context,
        )
        self._executor = workers
        self._revision = revision  # the store revision the index and curated answers reflect
        self._follower: ChangeFollower | None = None
        self._shared_choices = {}

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        *,
        embedder: TextEmbedder | None = None,
        tokenizer: Tokenizer | None = None,
        weights: FusionWeights | None = None,
    ) -> Sunbae:
        """Open the store, load the model, the index and the curated answers, start the
        workers, then settle the heap (a given embedder or tokenizer is used as is)."""
        settings = settings or get_settings()
        store = startup.open_store(settings)
        try:
            embedder = embedder or startup.load_embedder(settings)
            tokenizer = tokenizer or shared_tokenizer()
            revision = startup.read_revision(store)
            weights = weights or indexing.fusion_weights(settings)
            index = startup.load_or_rebuild_index(store, embedder, tokenizer, settings, weights)
            curation = startup.load_curated(store, embedder, tokenizer, settings)
        except BaseException:
            store.close()
            raise
        core = cls(settings, store=store, embedder=embedder, tokenizer=tokenizer, index=index,
                   curation=curation, workers=startup.start_worker_pool(), revision=revision)
        startup.settle_heap()
        return core

    # -- the index ----------------------------------------------------------------------

    def rebuild_index(self) -> int:
        """Rebuild the search index from the vectors stored in the database (nothing is
        re-embedded) and save it; returns the passages indexed."""
        with self._lock.write:
            index = indexing.rebuild_index(self._store, self._embedder, self._tokenizer,
                                           self._index_dir, self._index.weights)
            self._index = index
            self._answerer = Answerer(self._store, index, self._tokenizer, self.settings)
        startup.settle_heap()
        return len(index)

    def _apply_to_index(self, removed: list[int], added: list[IndexedPassage]) -> None:
        """After this process's own ingest: apply the change, and keep the file in step."""
        with self._lock.write:
            indexing.apply_changes(self._index, removed, added, self._embedder.dim)
            self._index.vectors.save(self._index_dir, self._embedder.name)

    def refresh(self) -> bool:
        """Catch up with changes other processes made (notes, curated answers); True if any.

        The index follows by the ids added and removed since it was loaded, never by a rebuild.
        """
        if startup.read_revision(self._store) == self._revision:
            return False
        self._shared_choices.clear()  # a space's choice may be among the changes
        with self._lock.write, self._store.session() as session:
            revision = current_revision(session)
            removed, added = indexing.stored_changes(session, set(self._index.section_of))
            indexing.apply_changes(self._index, removed, added, self._embedder.dim)
            self._curation.reload()
            self._revision = revision
        startup.settle_heap()
        log.info("followed store revision %d: %d passages added, %d removed",
                 revision, len(added), len(removed))
        return True

    def _space(self, space: str | None) -> str:
        return acting_space(self.settings.space, space)

    def _writable(self, space: str | None) -> str:
        return _writable_space(self.settings.space, space)

    def _visible(self, space: str) -> tuple[str, ...]:
        return seen_spaces(space, see_shared=self.sees_shared(space=space))

    def follow(self, interval: float | None = None) -> None:
        """Keep following other processes' changes on a background thread (long-running
        transports call this; `close` stops it)."""
        if self._follower is None:
            self._follower = ChangeFollower(
                self.refresh, interval or self.settings.follow_seconds
            )
            self._follower.start()

    # -- notes --------------------------------------------------------------------------

    def ingest_paths(self, paths: Sequence[Path], *, author: str | None = None,
                     progress: Progress | None = None, space: str | None = None) -> IngestReport:
        """Ingest files and folders into `space`; a folder's notes that disappeared go."""
        space = self._writable(space)
        prefixes = [str(given.resolve()) + "/" for given in paths if given.is_dir()]
        notes = read_notes(paths, author, self.settings.allowed_root)
        return self._ingest(notes, space, prune_prefixes=prefixes, progress=progress)

    def ingest_notes(self, notes: Sequence[NoteFile], *, prune_prefixes: Sequence[str] = (),
                     progress: Progress | None = None, space: str | None = None,
                     replace_others: bool = True) -> IngestReport:
        """Ingest notes already read (pasted text, attachments) into `space`; without
        `replace_others`, a note another author stored under the same key is refused
        (NoteTaken)."""
        return self._ingest(notes, self._writable(space), prune_prefixes=prune_prefixes,
                            progress=progress, replace_others=replace_others)

    def _ingest(self, notes: Sequence[NoteFile], space: str, *,
                prune_prefixes: Sequence[str] = (), progress: Progress | None = None,
                replace_others: bool = True) -> IngestReport:
        # The ingestor takes the ingest lock itself (parsing happens before, outside it).
        report = self._ingestor.ingest(notes, space=space, prune_prefixes=prune_prefixes,
                                       progress=progress, replace_others=replace_others)
        startup.settle_heap()  # the new passages' tokens are long-lived too
        return report

    def load_shipped_sample(self, *, progress: Progress | None = None) -> IngestReport:
        """Ingest the bundled sample journal into the shared space (every space sees it)."""
        return self._ingest(read_notes([shipped_sample_dir()], "sample", None), SHARED,
                            progress=progress)

    def remove_source(self, key: str, *, space: str | None = None) -> bool:
        """Remove one source of `space`, its sections and passages (and them from the index)."""
        space = self._writable(space)
        report = self._ingestor.ingest([], space=space, remove=[key])
        return key in report.removed

    def source_author(self, key: str, *, space: str | None = None) -> str | None:
        """Who ingested a source of `space` (None when it is not there or has no author)."""
        return lookups.source_author(self._store, key, self._space(space))

    def source_exists(self, key: str, *, space: str | None = None) -> bool:
        """Whether a source with this key is stored in `space`."""
        return lookups.source_exists(self._store, key, self._space(space))

    def sections_of_day(self, day: str, *, space: str | None = None) -> list[DaySection]:
        """Every note's section for a day (`8`, `Day 8`) or with that citation label, among
        the notes `space` sees."""
        return lookups.sections_of_day(self._store, day, self._visible(self._space(space)))

    # -- ask ----------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        *,
        space: str | None = None,
        user: str | None = None,
        channel: str | None = None,
        max_citations: int | None = None,
        record: bool = True,
        context: Conversation | None = None,
    ) -> Answer:
        """Answer one question asked in `space` from what that space sees: a curated answer,
        an extract of the journals, or 'not yet' (`context`: a follow-up's thread)."""
        started = time.perf_counter()
        space = self._space(space)
        spaces = self._visible(space)
        text = " ".join(question.split())[:MAX_QUESTION_CHARS]
        if not any(ch.isalnum() for ch in text):
            raise EmptyQuestion("질문을 입력해 주세요 (the question is empty).")
        language = question_language(text)
        limit = max_citations or self.settings.max_citations
        vector = self._embedder.embed_query(text)
        in_thread = self._thread_vector(text, context)  # a follow-up: with its thread's question
        with self._lock.read:
            query = self._index.query(text, vector, language=language, limit=limit, spaces=spaces)
            match = self._curation.match(query, spaces)
            searched, ranking = self._thread_ranking(query, spaces, context, in_thread)
            # Still under the lock: the rows read next must be those the index ranked.
            if match is not None:
                answer = self._answerer.curated_answer(query, match, ranking, spaces)
            else:
                answer = self._answerer.passage_answer(searched, ranking)
        answer.question = text
        answer.ranked_section_ids = [h.section_id for h in ranking.sections]
        answer.latency_ms = (time.perf_counter() - started) * 1000
        if record:
            answer.ask_id = self._asks.record(answer, user=user, channel=channel, space=space)
        return answer

    async def ask_async(self, question: str, **options: Unpack[AskOptions]) -> Answer:
        """`ask` off the event loop, so a slow question never stalls a chat gateway."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: self.ask(question, **options))

    # -- the ask log --------------------------------------------------------------------

    def get_ask(self, ask_id: int, *, space: str | None = None) -> AskRecord | None:
        """One logged question of `space` and its answer (None when it has no such ask)."""
        row = self._asks.get(ask_id, space=self._space(space))
        return None if row is None else AskRecord.of(row)

    def vote(self, ask_id: int, user: str, vote: int, *, space: str | None = None) -> None:
        """Record 👍 (+1) or 👎 (-1); a person's later vote replaces their earlier one
        (KeyError when `space` has no such ask)."""
        self._asks.vote(ask_id, user, vote, space=self._space(space))

    def votes(self, ask_id: int, *, space: str | None = None) -> tuple[int, int]:
        """(👍, 👎) counts of an ask of `space`."""
        return self._asks.votes(ask_id, space=self._space(space))

    def unanswered(self, *, limit: int = 50, space: str | None = None) -> list[UnansweredGroup]:
        """Questions asked in `space` Sunbae could not answer, alike ones grouped by meaning,
        most asked first."""
        return self._asks.unanswered(space=self._space(space), limit=limit,
                                     embed=self._embedder.embed_queries)

    def resolve(self, ask_ids: Sequence[int], *, space: str | None = None) -> None:
        """Take questions of `space` off the unanswered list."""
        self._asks.resolve(list(ask_ids), space=self._space(space))

    # -- curated answers ----------------------------------------------------------------

    def list_curated(self, *, include_retired: bool = False,
                     space: str | None = None) -> list[CuratedView]:
        """The curated answers `space` sees (its own and, when seen, the shared ones), by
        slug."""
        return self._curation.list(include_retired=include_retired,
                                   spaces=self._visible(self._space(space)))

    def get_curated(self, slug: str, *, space: str | None = None) -> CuratedView:
        """One curated answer `space` sees, by slug, retired ones too (its own before a shared
        one; CurationError when there is none)."""
        return self._curation.get(slug, self._visible(self._space(space)))

    def curated_history(self, slug: str, *, space: str | None = None) -> list[CuratedVersionView]:
        """Every saved version of a curated answer `space` sees, oldest first."""
        rows = self._curation.history(slug, self._visible(self._space(space)))
        return [CuratedVersionView.of(row) for row in rows]

    def add_curated(
        self, *, question: str, answer: str, author: str, paraphrases: list[str] | None = None,
        cites: list[str] | None = None, tags: list[str] | None = None, slug: str | None = None,
        space: str | None = None,
    ) -> CuratedView:
        """Create a curated answer of `space`; its questions match it from now on."""
        return self._curation.add(question=question, answer=answer, author=author,
                                  paraphrases=paraphrases, cites=cites, tags=tags, slug=slug,
                                  space=self._writable(space))

    def edit_curated(
        self, slug: str, *, author: str, question: str | None = None, answer: str | None = None,
        paraphrases: list[str] | None = None, cites: list[str] | None = None,
        tags: list[str] | None = None, space: str | None = None,
    ) -> CuratedView:
        """Change a curated answer of `space` (None leaves a part as it is); the old one stays
        in its history."""
        return self._curation.edit(slug, author=author, question=question, answer=answer,
                                   paraphrases=paraphrases, cites=cites, tags=tags,
                                   space=self._writable(space))

    def retire_curated(self, slug: str, *, author: str, space: str | None = None) -> CuratedView:
        """Stop using a curated answer of `space` (kept with its history, can be restored)."""
        return self._curation.retire(slug, author=author, space=self._writable(space))

    def promote(self, ask_id: int, *, author: str, answer: str | None = None,
                question: str | None = None, space: str | None = None) -> CuratedView:
        """Save a bot answer of `space` (or a maintainer's answer to an abstention) as one of
        its curated answers, and mark that question answered."""
        return self._curation.promote(ask_id, author=author, answer=answer, question=question,
                                      space=self._writable(space))

    def import_curated(self, folder: Path, *, space: str | None = None) -> dict[str, list[str]]:
        """Add or update curated answers of `space` from a folder of reviewed files."""
        space = self._writable(space)
        return self._curation.import_dir(folder, space, self._visible(space))

    def export_curated(self, folder: Path, *, space: str | None = None) -> list[Path]:
        """Write the curated answers `space` sees as reviewable files, one per answer."""
        return self._curation.export_dir(folder, self._visible(self._space(space)))

    def load_shipped_curated(self) -> dict[str, list[str]]:
        """Import the curated answers shipped in the repo into the shared space."""
        return self._curation.import_dir(shipped_curated_dir(), SHARED)

    # -- measuring ----------------------------------------------------------------------

    def stats(self, *, space: str | None = None) -> KnowledgeStats:
        """Sources, sections, passages, asks and indexed passages of `space`; curated: seen."""
        space = self._space(space)
        counts = lookups.row_counts(self._store, space, self._visible(space))
        with self._lock.read:
            indexed = self._index.space_sizes[space]
        return KnowledgeStats(indexed_passages=indexed, **counts)

    def stored_passages(self) -> list[StoredPassage]:
        """Every stored passage with its embedded text, tokens and vector (for the bench)."""
        return lookups.stored_passages(self._store, self._embedder.dim,
                                       with_context=self.settings.chunk_context)

    def close(self) -> None:
        """Stop the worker threads and release the database."""
        if self._follower is not None:
            self._follower.stop()
        self._executor.shutdown(wait=True)
        self._store.close()
