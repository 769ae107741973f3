"""Curated answers: add, edit, retire, import and export them, and match questions to them."""

from __future__ import annotations

import builtins
import re
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from index.embedder import TextEmbedder, embedder_family
from index.query import Query
from index.tokens import Tokenizer
from knowledge.curation.files import (
    CuratedFile,
    check_slug,
    load_curated_dir,
    parse_cite,
    write_curated_file,
)
from knowledge.curation.matching import CuratedMatch, CuratedView, MatchPolicy, PhraseMatcher
from knowledge.curation.rows import copy_curated, embed_phrases, save_version
from knowledge.errors import CuratedFileError, CurationError
from knowledge.reembedding import VectorPolicy, re_embed_phrases
from knowledge.spaces import SHARED
from knowledge.store.database import Store, bump_revision
from knowledge.store.models import (
    Ask,
    CuratedAnswer,
    CuratedPhrase,
    CuratedVersion,
    Section,
    Source,
)

_SLUG = re.compile(r"[^0-9a-z가-힣]+")


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
        negatives=tuple(row.negatives or ()),
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
        self._matcher = PhraseMatcher({}, [], embedder.dim, tokenizer, self.policy)
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
                       CuratedPhrase.vector, CuratedPhrase.negative)
                .where(CuratedPhrase.curated_id.in_(list(views)))
                .order_by(CuratedPhrase.id)
            ).all()
            # A space's own answer (retired too) hides the shared answer of the same slug.
            overrides = [(r.space, r.slug) for r in session.execute(select(
                CuratedAnswer.space, CuratedAnswer.slug).where(CuratedAnswer.space != SHARED))]
        self._matcher = PhraseMatcher(views, phrases, self.embedder.dim, self.tokenizer,
                                      self.policy, overrides)

    def key_terms(self, slug: str) -> frozenset[str]:
        """The words a question must hold (or a glossary word for) to get this answer."""
        return self._matcher.key_terms(slug)

    def match(self, query: Query, spaces: Collection[str] | None = None) -> CuratedMatch | None:
        """The best curated answer of `spaces` (None: any) for a question, if the policy
        accepts it."""
        return self._matcher.match(query, spaces)

    def nearest(
        self, query_vector: np.ndarray, query_tokens: list[str],
        spaces: Collection[str] | None = None,
    ) -> tuple[CuratedMatch, bool] | None:
        """The closest curated phrasing of `spaces` (None: any), and whether the question holds
        all its content words."""
        return self._matcher.nearest(query_vector, query_tokens, spaces)

    def _seen(self, view: CuratedView, spaces: Collection[str]) -> bool:
        """Whether a question of `spaces` sees an answer (a shared one not overridden)."""
        return self._matcher.seen(view, spaces)

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
        negatives: builtins.list[str] | None = None,
        space: str = "local",
    ) -> CuratedView:
        """Create a curated answer in `space`; its phrasings are embedded so questions can
        match it."""
        question, answer, author = question.strip(), answer.strip(), author.strip()
        if not question or not answer:
            raise CurationError("a curated answer needs a question and an answer")
        if not author:
            raise CurationError("a curated answer needs an author")
        slug = check_slug(slug) if slug else slugify(question)
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
                cites=_checked_cites(cites),
                tags=_clean(tags),
                negatives=_clean(negatives),
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
        negatives: builtins.list[str] | None = None,
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
                row.cites = _checked_cites(cites)
            if tags is not None:
                row.tags = _clean(tags)
            if negatives is not None:
                row.negatives = _clean(negatives)
            if active is not None:
                row.active = active
            row.author = author.strip() or row.author
            row.version += 1
            row.updated_at = datetime.now(UTC)
            save_version(row, note=note)
            if question is not None or paraphrases is not None or negatives is not None:
                embed_phrases(row, self.embedder, self.tokenizer)
            view = _view(row)
        self.reload()
        return view

    def retire(self, slug: str, *, author: str, space: str = "local") -> CuratedView:
        """Stop using a curated answer (it stays, with its history, and can be restored)."""
        return self.edit(slug, author=author, active=False, note="retired", space=space)

    def promote(self, ask_id: int, *, author: str, answer: str | None = None,
                question: str | None = None, space: str = "local",
                cites: builtins.list[str] | None = None) -> CuratedView:
        """Make a curated answer of `space` from one of its bot answers (or of a maintainer's
        answer to an unanswered question), citing the days the bot cited (or `cites`, as a
        maintainer edited them), and mark that question resolved."""
        with self.store.session() as session:
            ask = session.get(Ask, ask_id)
            if ask is None or ask.space != space:
                raise CurationError(f"no ask {ask_id}")
            text = (answer or ask.answer).strip()
            if ask.outcome == "abstain" and not answer:
                raise CurationError("that question was not answered: write the answer to save")
            asked = question or ask.question
            if cites is None:
                cites = cites_of(session, list(ask.cited_passages or ()))
        view = self.add(question=asked, answer=text, author=author, cites=cites, space=space)
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
                         tags=list(item.tags), slug=item.id, negatives=list(item.negatives),
                         space=space)
                report["added"].append(item.id)
                continue
            same = (
                current.question == item.question.strip()
                and current.answer == item.answer.strip()
                and current.paraphrases == tuple(_clean(list(item.paraphrases)))
                and current.cites == tuple(_clean(list(item.cites)))
                and current.negatives == tuple(_clean(list(item.negatives)))
                and current.active
            )
            if same:
                report["unchanged"].append(item.id)
                continue
            self.edit(item.id, author=item.author, question=item.question, answer=item.answer,
                      paraphrases=list(item.paraphrases), cites=list(item.cites),
                      tags=list(item.tags), active=True, note="imported",
                      negatives=list(item.negatives), space=space)
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
                negatives=view.negatives,
            )
            written.append(write_curated_file(folder, item))
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


def cites_of(session: Session, section_ids: builtins.list[int]) -> builtins.list[str]:
    """The `<file>.md · Day K` cites of the sections an ask cited, in its order; sections a
    cite cannot name (no `Day K` label, a note that is not a .md file) are left out."""
    named = {sid: (path, day) for sid, path, day in session.execute(
        select(Section.id, Source.path, Section.day_label)
        .join(Source, Section.source_id == Source.id).where(Section.id.in_(section_ids))
    )}
    cites: builtins.list[str] = []
    for path, day in (named[sid] for sid in section_ids if sid in named):
        cite = f"{PurePosixPath(path).name} · {day}"
        try:
            parse_cite(cite)
        except CuratedFileError:
            continue
        if cite not in cites:
            cites.append(cite)
    return cites


def _checked_cites(cites: list[str] | None) -> list[str]:
    """Cites in the form the curated files use (`<file>.md · Day K`): one an export would
    write but the next import refuse is refused now, with the same message."""
    cleaned = _clean(cites)
    for cite in cleaned:
        try:
            parse_cite(cite)
        except CuratedFileError as exc:
            raise CurationError(str(exc)) from exc
    return cleaned


def _clean(items: list[str] | None) -> list[str]:
    return [item.strip() for item in items or [] if item and item.strip()]


def _view_after_flush(session, row: CuratedAnswer) -> CuratedView:
    session.flush()
    return _view(row)
