"""Curated answers: add, edit, retire, import and export them, and match questions to them."""

from __future__ import annotations

import builtins
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import select

from index.embedder import TextEmbedder, embedder_family, vectors_from_bytes
from index.query import Query
from index.tokens import Tokenizer
from knowledge.curation.files import CuratedFile, dump_curated_file, load_curated_dir
from knowledge.curation.rows import copy_curated, embed_phrases, save_version
from knowledge.errors import CurationError
from knowledge.reembedding import VectorPolicy, re_embed_phrases
from knowledge.spaces import SHARED
from knowledge.store.database import Store, bump_revision
from knowledge.store.models import Ask, CuratedAnswer, CuratedPhrase, CuratedVersion

_SLUG = re.compile(r"[^0-9a-z가-힣]+")


@dataclass(frozen=True)
class CuratedView:
    """A curated answer as the transports show it."""

    id: int
    slug: str
    question: str
    paraphrases: tuple[str, ...]
    answer: str
    cites: tuple[str, ...]
    tags: tuple[str, ...]
    author: str
    active: bool
    version: int
    space: str = "local"


@dataclass(frozen=True)
class CuratedMatch:
    """The curated answer a question matched, and how closely."""

    curated: CuratedView
    similarity: float
    phrase: str


@dataclass(frozen=True)
class MatchPolicy:
    """When a question counts as one a curated answer answers.

    Either the question is semantically close to a phrasing, or it holds every content word
    of a phrasing (particles stripped: `과제 제출` is in `과제를 어디에 제출하나요?`) and is
    still reasonably close.
    """

    threshold: float = 0.90
    contained_threshold: float = 0.86


def slugify(text: str) -> str:
    """A readable id from a question."""
    slug = _SLUG.sub("-", text.lower()).strip("-")
    return slug[:60].strip("-") or "answer"


def _view(row: CuratedAnswer) -> CuratedView:
    return CuratedView(
        id=row.id,
        slug=row.slug,
        question=row.question,
        paraphrases=tuple(row.paraphrases),
        answer=row.answer,
        cites=tuple(row.cites),
        tags=tuple(row.tags),
        author=row.author,
        active=row.active,
        version=row.version,
        space=row.space,
    )


class Curation:
    """The curated answers in the store, and an in-memory matcher over their phrasings."""

    def __init__(
        self,
        store: Store,
        embedder: TextEmbedder,
        tokenizer: Tokenizer,
        policy: MatchPolicy | None = None,
        *,
        vector_policy: VectorPolicy | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.policy = policy or MatchPolicy()
        # Which stored phrasings' vectors this embedder can compare with its questions.
        self.vector_policy = vector_policy or VectorPolicy(
            embedder.name, embedder_family(embedder), legacy_is_current=True
        )
        self._vectors = np.zeros((0, embedder.dim), dtype=np.float32)
        self._owners: list[int] = []
        self._phrases: list[str] = []
        self._phrase_tokens: list[frozenset[str]] = []
        self._views: dict[int, CuratedView] = {}
        self._overrides: set[tuple[str, str]] = set()
        self.reload()

    # -- matching -----------------------------------------------------------------------

    def reload(self) -> None:
        """Rebuild the matcher from the active curated answers in the store (phrasings another
        model embedded are embedded again first)."""
        re_embed_phrases(self.store, self.embedder, self.vector_policy.foreign)
        with self.store.session() as session:
            rows = session.scalars(select(CuratedAnswer).where(CuratedAnswer.active)).all()
            views = {row.id: _view(row) for row in rows}
            phrases = session.execute(
                select(CuratedPhrase.curated_id, CuratedPhrase.text, CuratedPhrase.tokens,
                       CuratedPhrase.vector)
                .where(CuratedPhrase.curated_id.in_(list(views)))
                .order_by(CuratedPhrase.id)
            ).all()
            # A space's own answer (retired too) hides the shared answer of the same slug.
            self._overrides = {(r.space, r.slug) for r in session.execute(select(
                CuratedAnswer.space, CuratedAnswer.slug).where(CuratedAnswer.space != SHARED))}
        self._views = views
        self._owners = [p.curated_id for p in phrases]
        self._phrases = [p.text for p in phrases]
        self._phrase_tokens = [frozenset(p.tokens.split()) for p in phrases]
        self._vectors = vectors_from_bytes([p.vector for p in phrases], self.embedder.dim)

    def match(self, query: Query, spaces: Collection[str] | None = None) -> CuratedMatch | None:
        """The best curated answer of `spaces` (None: any) for a question, if the policy
        accepts it."""
        best = self.nearest(query.vector, list(query.tokens), spaces)
        if best is None:
            return None
        match, contained = best
        needed = self.policy.contained_threshold if contained else self.policy.threshold
        return match if match.similarity >= needed else None

    def nearest(
        self, query_vector: np.ndarray, query_tokens: list[str],
        spaces: Collection[str] | None = None,
    ) -> tuple[CuratedMatch, bool] | None:
        """The closest curated phrasing of `spaces` (None: any), and whether the question holds
        all its content words."""
        if not len(self._owners):
            return None
        if spaces is not None:
            mine = np.array([self._seen(self._views[o], spaces) for o in self._owners],
                            dtype=bool)
            if not mine.any():
                return None
        similarities = self._vectors @ np.asarray(query_vector, dtype=np.float32)
        tokens = set(query_tokens)
        contained = np.array(
            [bool(p) and p <= tokens for p in self._phrase_tokens], dtype=bool
        )
        # A contained phrasing gets the benefit of the lower threshold; rank by the margin
        # each phrasing has over its own threshold.
        margin = similarities - np.where(
            contained, self.policy.contained_threshold, self.policy.threshold
        )
        if spaces is not None:
            margin = np.where(mine, margin, -np.inf)  # other spaces' answers never win
        best = int(np.argmax(margin))
        view = self._views[self._owners[best]]
        match = CuratedMatch(view, float(similarities[best]), self._phrases[best])
        return match, bool(contained[best])

    def _seen(self, view: CuratedView, spaces: Collection[str]) -> bool:
        """Whether a question of `spaces` sees an answer (a shared one not overridden)."""
        return view.space in spaces and not (view.space == SHARED and any(
            (space, view.slug) in self._overrides for space in spaces))

    # -- curating -----------------------------------------------------------------------

    def list(self, *, include_retired: bool = False,
             spaces: Collection[str] | None = None) -> list[CuratedView]:
        """Curated answers of `spaces` (None: all), by slug."""
        with self.store.session() as session:
            query = select(CuratedAnswer).order_by(CuratedAnswer.slug, CuratedAnswer.space)
            if not include_retired:
                query = query.where(CuratedAnswer.active)
            views = [_view(row) for row in session.scalars(query)]
        return [v for v in views if spaces is None or self._seen(v, spaces)]

    def get(self, slug: str, spaces: Collection[str] = ("local",)) -> CuratedView:
        """One curated answer of `spaces` by slug (retired ones too; the first space's wins)."""
        with self.store.session() as session:
            return _view(self._row(session, slug, spaces))

    def history(self, slug: str,
                spaces: Collection[str] = ("local",)) -> builtins.list[CuratedVersion]:
        """Every saved version of a curated answer, oldest first."""
        with self.store.session() as session:
            return list(self._row(session, slug, spaces).versions)

    def add(
        self,
        *,
        question: str,
        answer: str,
        author: str,
        paraphrases: builtins.list[str] | None = None,
        cites: builtins.list[str] | None = None,
        tags: builtins.list[str] | None = None,
        slug: str | None = None,
        space: str = "local",
    ) -> CuratedView:
        """Create a curated answer in `space`; its phrasings are embedded so questions can
        match it."""
        question, answer, author = question.strip(), answer.strip(), author.strip()
        if not question or not answer:
            raise CurationError("a curated answer needs a question and an answer")
        if not author:
            raise CurationError("a curated answer needs an author")
        slug = slug or slugify(question)
        with self.store.session() as session:
            bump_revision(session)
            if session.scalar(select(CuratedAnswer.id).where(CuratedAnswer.slug == slug,
                                                              CuratedAnswer.space == space)):
                raise CurationError(f"a curated answer '{slug}' already exists; edit it instead")
            row = CuratedAnswer(
                space=space,
                slug=slug,
                question=question,
                paraphrases=_clean(paraphrases),
                answer=answer,
                cites=_clean(cites),
                tags=_clean(tags),
                author=author,
                active=True,
                version=1,
            )
            session.add(row)
            save_version(row, note="added")
            embed_phrases(row, self.embedder, self.tokenizer)
            view = _view_after_flush(session, row)
        self.reload()
        return view

    def edit(
        self,
        slug: str,
        *,
        author: str,
        question: str | None = None,
        answer: str | None = None,
        paraphrases: builtins.list[str] | None = None,
        cites: builtins.list[str] | None = None,
        tags: builtins.list[str] | None = None,
        active: bool | None = None,
        note: str = "edited",
        space: str = "local",
    ) -> CuratedView:
        """Change a curated answer of `space`; the previous state stays in its history."""
        with self.store.session() as session:
            bump_revision(session)
            try:
                row = self._row(session, slug, (space,))
            except CurationError:  # a shared answer changes for this space only: a copy
                row = copy_curated(self._row(session, slug, (SHARED,)), space)
                session.add(row)
            if question is not None:
                if not question.strip():
                    raise CurationError("the question cannot be empty")
                row.question = question.strip()
            if answer is not None:
                if not answer.strip():
                    raise CurationError("the answer cannot be empty")
                row.answer = answer.strip()
            if paraphrases is not None:
                row.paraphrases = _clean(paraphrases)
            if cites is not None:
                row.cites = _clean(cites)
            if tags is not None:
                row.tags = _clean(tags)
            if active is not None:
                row.active = active
            row.author = author.strip() or row.author
            row.version += 1
            row.updated_at = datetime.now(UTC)
            save_version(row, note=note)
            if question is not None or paraphrases is not None:
                embed_phrases(row, self.embedder, self.tokenizer)
            view = _view(row)
        self.reload()
        return view

    def retire(self, slug: str, *, author: str, space: str = "local") -> CuratedView:
        """Stop using a curated answer (it stays, with its history, and can be restored)."""
        return self.edit(slug, author=author, active=False, note="retired", space=space)

    def promote(self, ask_id: int, *, author: str, answer: str | None = None,
                question: str | None = None, space: str = "local") -> CuratedView:
        """Make a curated answer of `space` from one of its bot answers (or of a maintainer's
        answer to an unanswered question), and mark that question resolved."""
        with self.store.session() as session:
            ask = session.get(Ask, ask_id)
            if ask is None or ask.space != space:
                raise CurationError(f"no ask {ask_id}")
            text = (answer or ask.answer).strip()
            if ask.outcome == "abstain" and not answer:
                raise CurationError("that question was not answered: write the answer to save")
            asked = question or ask.question
        view = self.add(question=asked, answer=text, author=author, space=space)
        with self.store.session() as session:
            ask = session.get(Ask, ask_id)
            if ask is not None:
                ask.resolved = True
        return view

    def import_files(self, items: builtins.list[CuratedFile], space: str = "local",
                     seen: Collection[str] = ()) -> dict[str, builtins.list[str]]:
        """Add or update curated answers of `space` from reviewed files (unchanged ones, as
        `space` and the spaces it has `seen` hold them, are left alone)."""
        report: dict[str, builtins.list[str]] = {"added": [], "updated": [], "unchanged": []}
        for item in items:
            try:
                current = self.get(item.id, (space, *seen))
            except CurationError:
                self.add(question=item.question, answer=item.answer, author=item.author,
                         paraphrases=list(item.paraphrases), cites=list(item.cites),
                         tags=list(item.tags), slug=item.id, space=space)
                report["added"].append(item.id)
                continue
            same = (
                current.question == item.question.strip()
                and current.answer == item.answer.strip()
                and current.paraphrases == tuple(_clean(list(item.paraphrases)))
                and current.cites == tuple(_clean(list(item.cites)))
                and current.active
            )
            if same:
                report["unchanged"].append(item.id)
                continue
            self.edit(item.id, author=item.author, question=item.question, answer=item.answer,
                      paraphrases=list(item.paraphrases), cites=list(item.cites),
                      tags=list(item.tags), active=True, note="imported", space=space)
            report["updated"].append(item.id)
        return report

    def import_dir(self, folder: Path, space: str = "local",
                   seen: Collection[str] = ()) -> dict[str, builtins.list[str]]:
        """Import every curated file of a folder into `space`."""
        return self.import_files(load_curated_dir(folder), space, seen)

    def export_dir(self, folder: Path,
                   spaces: Collection[str] = ("local",)) -> builtins.list[Path]:
        """Write the active curated answers `spaces` see as reviewable files, one per answer."""
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for view in self.list(spaces=spaces):
            item = CuratedFile(
                id=view.slug,
                question=view.question,
                paraphrases=view.paraphrases,
                answer=view.answer,
                cites=view.cites,
                author=view.author,
                tags=view.tags,
            )
            path = folder / f"{view.slug}.md"
            path.write_text(dump_curated_file(item), encoding="utf-8")
            written.append(path)
        return written

    # -- internals ----------------------------------------------------------------------

    @staticmethod
    def _row(session, slug: str, spaces: Collection[str]) -> CuratedAnswer:
        rows = {row.space: row for row in session.scalars(select(CuratedAnswer).where(
            CuratedAnswer.slug == slug, CuratedAnswer.space.in_(builtins.list(spaces))))}
        row = next((rows[space] for space in spaces if space in rows), None)
        if row is None:
            raise CurationError(f"no curated answer '{slug}'")
        return row


def _clean(items: list[str] | None) -> list[str]:
    return [item.strip() for item in items or [] if item and item.strip()]


def _view_after_flush(session, row: CuratedAnswer) -> CuratedView:
    session.flush()
    return _view(row)
