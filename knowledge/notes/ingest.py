"""Ingest: notes → sections → passages → vectors, stored in one transaction, then indexed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, select

from index.embedder import TextEmbedder, vector_to_bytes
from index.failpoints import reach
from index.tokens import Tokenizer
from knowledge.answering.compose import sentence_tokens
from knowledge.errors import NoteTaken, UnreadableNote
from knowledge.notes.chunking import indexed_chunks
from knowledge.notes.fitting import check_fits
from knowledge.notes.parsing import ParsedSection, parse_document
from knowledge.notes.reading import find_notes, read_note
from knowledge.notes.sentence_vectors import embed_sentence_vectors, stored_sentence_vectors
from knowledge.store.database import Store, bump_revision
from knowledge.store.models import Passage, Section, Source

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class NoteFile:
    """A note to ingest: its unique key, the path shown in citations, and its text."""

    key: str
    display: str
    text: str
    author: str | None = None
    url: str | None = None


@dataclass
class IngestReport:
    """What an ingest did, file by file."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    sections: int = 0
    passages: int = 0
    embedded: int = 0
    reused: int = 0

    def summary(self) -> str:
        """One line for people."""
        return (
            f"added {len(self.added)}, changed {len(self.changed)}, "
            f"unchanged {len(self.unchanged)}, removed {len(self.removed)} "
            f"({self.passages} passages: {self.embedded} embedded, {self.reused} reused)"
        )


@dataclass
class IndexedPassage:
    """A stored passage as the search index needs it."""

    id: int
    section_id: int
    tokens: list[str]
    vector: bytes
    space: str | None = None  # None: the space its section already has in the index


@dataclass
class _Draft:
    section: int
    ordinal: int
    start: int
    end: int
    text: str
    embed_text: str
    embed_hash: str
    tokens: list[str]
    sentence_tokens: str
    vector: bytes | None = None
    sentence_vectors: bytes | None = None


IndexSync = Callable[[list[int], list[IndexedPassage]], None]


def _refuse_others(notes: Sequence[NoteFile], known: dict[str, tuple[str, str | None]]) -> None:
    """Refuse notes whose key is already stored under another author."""
    taken = [note.display for note in notes
             if note.key in known and known[note.key][1] != note.author]
    if taken:
        raise NoteTaken(taken)


def read_notes(paths: Sequence[Path], author: str | None,
               allowed_root: Path | None) -> list[NoteFile]:
    """Notes read from files and folders (`allowed_root` checked on each opened file)."""
    return [NoteFile(key=str(file.resolve()), display=display,
                     text=read_note(file, allowed_root=allowed_root), author=author)
            for file, display in find_notes(list(paths), allowed_root=allowed_root)]


def content_hash(text: str) -> str:
    """The digest that decides whether a file changed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def passage_context(label: str, title: str, keywords: Sequence[str]) -> str:
    """The words that place a passage: its citation label, title and the day's keywords."""
    parts = [label]
    if title and title not in label:
        parts.append(title)
    if keywords:
        parts.append(", ".join(keywords))
    return " · ".join(parts)


class Ingestor:
    """Turns notes into stored, embedded passages and keeps the index in step."""

    def __init__(
        self,
        store: Store,
        embedder: TextEmbedder,
        tokenizer: Tokenizer,
        sync_index: IndexSync,
        *,
        write_lock: AbstractContextManager[object] | None = None,
        ingest_lock: AbstractContextManager[object] | None = None,
        catch_up: Callable[[], object] | None = None,
        chunk_chars: int = 700,
        with_context: bool = True,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.sync_index = sync_index
        self.write_lock = write_lock or nullcontext()
        # One ingest at a time (in this process and, by a file lock, across processes).
        self.ingest_lock = ingest_lock or nullcontext()
        # Brings the index up to the store before this ingest adds to it (another process
        # may have ingested meanwhile), so the index saved afterwards holds both.
        self.catch_up = catch_up
        self.chunk_chars = chunk_chars
        self.with_context = with_context

    def _known(self, space: str) -> dict[str, tuple[str, str | None]]:
        """Every source of `space` by key, with its content hash and author."""
        with self.store.session() as session:
            rows = session.execute(select(Source.path, Source.content_hash, Source.author)
                                   .where(Source.space == space))
            return {path: (digest, author) for path, digest, author in rows}

    def ingest(
        self,
        notes: Sequence[NoteFile],
        *,
        space: str = "local",
        prune_prefixes: Sequence[str] = (),
        remove: Sequence[str] = (),
        progress: Progress | None = None,
        replace_others: bool = True,
    ) -> IngestReport:
        """Store `notes` in `space` whole or not at all; unseen sources of that space under
        `prune_prefixes` go, and so do its sources keyed `remove`. Without `replace_others`, a
        note stored by another author is refused (NoteTaken), decided under the lock so two
        uploads cannot race."""
        keys = [note.key for note in notes]
        if len(set(keys)) != len(keys):
            raise ValueError("the same file was given twice")
        # Parsing (the slow, input-driven part) runs before the lock: a hostile note delays
        # only its own ingest, never another's.
        drafted = self._draft_changed(notes, self._known(space))
        with self.ingest_lock:
            known = self._known(space)  # again: another ingest may have stored some meanwhile
            if not replace_others:
                _refuse_others(notes, known)
            drafted.update(self._draft_changed(
                [note for note in notes if note.key not in drafted], known))
            return self._ingest_locked(notes, drafted, known, space, prune_prefixes, remove,
                                      progress)

    def _draft_changed(
        self, notes: Sequence[NoteFile], known: dict[str, tuple[str, str | None]]
    ) -> dict[str, tuple[str, list[ParsedSection], list[_Draft]]]:
        """Parsed and chunked drafts of the notes whose text differs from the stored one."""
        drafted: dict[str, tuple[str, list[ParsedSection], list[_Draft]]] = {}
        for note in notes:
            digest = content_hash(note.text)
            if known.get(note.key, ("", None))[0] != digest:
                drafted[note.key] = (digest, *self._draft(note))
        return drafted

    def _ingest_locked(
        self,
        notes: Sequence[NoteFile],
        drafted: dict[str, tuple[str, list[ParsedSection], list[_Draft]]],
        known: dict[str, tuple[str, str | None]],
        space: str,
        prune_prefixes: Sequence[str],
        remove: Sequence[str],
        progress: Progress | None,
    ) -> IngestReport:
        report = IngestReport()
        todo: list[tuple[NoteFile, list[ParsedSection], list[_Draft]]] = []
        for note in notes:
            if known.get(note.key, ("", None))[0] == content_hash(note.text):
                report.unchanged.append(note.display)
                continue
            (report.changed if note.key in known else report.added).append(note.display)
            _, sections, file_drafts = drafted[note.key]
            todo.append((note, sections, file_drafts))
        seen = {note.key for note in notes}
        stale = [
            key
            for key in known
            if key not in seen
            and (key in remove or any(key.startswith(prefix) for prefix in prune_prefixes))
        ]
        drafts = [draft for _, _, file_drafts in todo for draft in file_drafts]
        report.embedded, report.reused = self._embed(drafts, progress)
        self._embed_sentences(drafts, [note.key for note, _, _ in todo if note.key in known])
        report.passages, report.sections = len(drafts), sum(len(s) for _, s, _ in todo)
        if not todo and not stale:
            return report
        reach("ingest:embedded")
        if self.catch_up is not None:
            self.catch_up()
        with self.write_lock:  # readers see the store and the index change together
            removed_ids, added = self._store(todo, stale, space)
            reach("ingest:committed")
            self.sync_index(removed_ids, added)
        report.removed = stale
        return report

    def _draft(self, note: NoteFile) -> tuple[list[ParsedSection], list[_Draft]]:
        if "\x00" in note.text:  # refused before parsing: PostgreSQL cannot store it
            raise UnreadableNote(f"{note.display}: looks binary (NUL characters), not a note")
        sections = parse_document(note.text, note.display)
        check_fits(note.key, note.display, note.text, note.author, note.url, sections)
        drafts: list[_Draft] = []
        for index, section in enumerate(sections):
            context = (
                passage_context(section.label, section.title, section.keywords)
                if self.with_context else ""
            )
            for ordinal, chunk in enumerate(indexed_chunks(section, self.chunk_chars)):
                embed_text = f"{context}\n{chunk.text}" if context else chunk.text
                positioned = self.tokenizer.positioned_tokens(embed_text)
                offset = len(embed_text) - len(chunk.text)
                sentences = sentence_tokens(
                    chunk.text, [(t, at - offset) for t, at in positioned if at >= offset]
                )
                drafts.append(
                    _Draft(
                        section=index,
                        ordinal=ordinal,
                        start=chunk.start,
                        end=chunk.end,
                        text=chunk.text,
                        embed_text=embed_text,
                        embed_hash=content_hash(f"{self.embedder.name}\n{embed_text}"),
                        tokens=[t for t, _ in positioned],
                        sentence_tokens="\n".join(" ".join(sorted(s)) for s in sentences.values()),
                    )
                )
        return sections, drafts

    def _embed(self, drafts: list[_Draft], progress: Progress | None) -> tuple[int, int]:
        """Fill every draft's vector, reusing stored ones for text embedded before."""
        hashes = list({draft.embed_hash for draft in drafts})
        stored: dict[str, tuple[bytes, bytes | None]] = {}
        with self.store.session() as session:
            for start in range(0, len(hashes), 500):
                batch = hashes[start : start + 500]
                rows = session.execute(
                    select(Passage.embed_hash, Passage.vector, Passage.sentence_vectors)
                    .where(Passage.embed_hash.in_(batch))
                )
                stored.update({h: (v, sv) for h, v, sv in rows})
        fresh: dict[str, _Draft] = {}
        for draft in drafts:
            draft.vector, draft.sentence_vectors = stored.get(draft.embed_hash, (None, None))
            if draft.vector is None:
                fresh.setdefault(draft.embed_hash, draft)
        # Batches of alike lengths pad least (sentence-transformers sorts only within a call).
        pending = sorted(fresh.values(), key=lambda d: -len(d.embed_text))
        batch_size = self.embedder.batch_size
        done = 0
        for start in range(0, len(pending), batch_size):
            chunk = pending[start : start + batch_size]
            vectors = self.embedder.embed_passages([d.embed_text for d in chunk])
            for fresh_draft, vector in zip(chunk, vectors, strict=True):
                fresh_draft.vector = vector_to_bytes(vector)
            done += len(chunk)
            if progress:
                progress(done, len(pending))
        for draft in drafts:
            if draft.vector is None:
                draft.vector = fresh[draft.embed_hash].vector
        return len(pending), len(drafts) - len(pending)

    def _embed_sentences(self, drafts: list[_Draft], edited: Sequence[str]) -> None:
        """Fill the sentence vectors no stored passage of the same text (or edited note) had."""
        missing = [draft for draft in drafts if draft.sentence_vectors is None]
        known = stored_sentence_vectors(self.store, edited, self.embedder.name, self.embedder.dim)
        blobs = embed_sentence_vectors(self.embedder, [draft.text for draft in missing], known)
        for draft, blob in zip(missing, blobs, strict=True):
            draft.sentence_vectors = blob

    def _store(
        self,
        todo: list[tuple[NoteFile, list[ParsedSection], list[_Draft]]],
        stale: list[str],
        space: str,
    ) -> tuple[list[int], list[IndexedPassage]]:
        """One transaction: replace changed sources, add new ones, drop stale ones."""
        now = datetime.now(UTC)
        with self.store.session() as session:
            bump_revision(session)  # first: on PostgreSQL it orders concurrent ingests
            replaced = [note.key for note, _, _ in todo] + stale
            old_ids = list(
                session.scalars(
                    select(Passage.id)
                    .join(Section, Passage.section_id == Section.id)
                    .join(Source, Section.source_id == Source.id)
                    .where(Source.space == space, Source.path.in_(replaced))
                )
            )
            if replaced:
                session.execute(
                    delete(Source).where(Source.space == space, Source.path.in_(replaced)))
            for note, sections, drafts in todo:
                session.add(self._source_row(note, sections, drafts, now, space))
            session.flush()
            new_rows = session.execute(
                select(Passage.id, Passage.section_id, Passage.tokens, Passage.vector)
                .join(Section, Passage.section_id == Section.id)
                .join(Source, Section.source_id == Source.id)
                .where(Source.space == space, Source.path.in_([note.key for note, _, _ in todo]))
            )
            added = [
                IndexedPassage(id=pid, section_id=sid, tokens=toks.split(), vector=vec,
                               space=space)
                for pid, sid, toks, vec in new_rows
            ]
            reach("ingest:before-commit")
        return old_ids, added

    def _source_row(
        self, note: NoteFile, sections: list[ParsedSection], drafts: list[_Draft],
        now: datetime, space: str,
    ) -> Source:
        """A new source row with its sections and their embedded passages."""
        source = Source(
            space=space,
            path=note.key,
            content_hash=content_hash(note.text),
            author=note.author,
            url=note.url,
            created_at=now,
            updated_at=now,
        )
        rows = [
            Section(
                ordinal=s.ordinal,
                label=s.label,
                title=s.title,
                week=s.week,
                day=s.day,
                day_label=s.day_label,
                date=s.date,
                keywords=list(s.keywords),
                url=s.url or note.url,
                text=s.text,
            )
            for s in sections
        ]
        source.sections = rows
        for draft in drafts:
            rows[draft.section].passages.append(
                Passage(
                    ordinal=draft.ordinal,
                    start=draft.start,
                    end=draft.end,
                    text=draft.text,
                    embed_hash=draft.embed_hash,
                    tokens=" ".join(draft.tokens),
                    sentence_tokens=draft.sentence_tokens,
                    vector=draft.vector,
                    embedder=self.embedder.name,
                    sentence_vectors=draft.sentence_vectors,
                )
            )
        return source
