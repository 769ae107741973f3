"""Composing answers: curated replies, extracts of the best passages, or "not yet"."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from threading import Lock

from sqlalchemy import select

from index.query import Query
from index.search import HybridIndex, Ranking, SectionHit
from index.tokens import Tokenizer
from knowledge.answering.answer import Answer, Citation
from knowledge.answering.answerability import (
    AnswerabilityModel,
    Signals,
    asked_action,
    confidence,
    declines,
    foreign_terms,
    number_focus,
    number_missing,
    rank_margin,
)
from knowledge.answering.compose import (
    BODY_PASSAGES,
    Extract,
    compose_extract,
    extract_weights,
    meaning_quote,
    nearest_sentences,
    pick_sentences,
    sentence_tokens,
    short_quote,
    split_sentences,
)
from knowledge.curation.answers import CuratedMatch
from knowledge.curation.files import parse_cite
from knowledge.notes.sentence_vectors import sentence_matrix
from knowledge.settings import Settings
from knowledge.spaces import SHARED, shipped_sample_key
from knowledge.store.database import Store
from knowledge.store.models import Passage, Section, Source

SENTENCE_CACHE = 20_000
VERIFIED_PASSAGES = 3  # passages of the top day whose sentences the verification reads
# A Korean question shares words with the day that answers it. When the best day shares fewer
# than two of its words and less than this share of it (rare and unknown words weighing most),
# Sunbae abstains whatever the model says: on a small store a day can lead clearly while
# sharing nothing with the question (`쿠버네티스 파드 오토스케일링` on one week of notes).
# An English question over Korean notes shares few words by nature: it only needs one of its
# words or their glossary words (`How do I configure Kubernetes pod autoscaling?` has none).
MIN_SHARED = {"ko": 0.5, "en": 0.0}
# How a curated answer labels the days of the store's own notes it shows after its citations.
DISCUSSED = {"ko": "내 노트에서 다룬 날", "en": "discussed in your notes"}


class Answerer:
    """Turns a ranking (or a curated match) into the answer a person reads."""

    def __init__(
        self, store: Store, index: HybridIndex, tokenizer: Tokenizer, settings: Settings,
        model: AnswerabilityModel | None = None,
    ) -> None:
        self.store = store
        self.index = index
        self.tokenizer = tokenizer
        self.settings = settings
        self.model = model  # None: the shipped answerability model
        # Sentence tokens of recently used passages: the answer and the signals read them.
        self._sentence_cache: OrderedDict[str, frozenset[str]] = OrderedDict()
        self._primed: OrderedDict[str, bool] = OrderedDict()
        self._cache_lock = Lock()

    def curated_answer(
        self, query: Query, match: CuratedMatch, ranking: Ranking | None = None,
        spaces: Collection[str] = ("local",),
    ) -> Answer:
        """The curated answer a question matched, citing the days it was written from where
        `spaces` hold them; the days of these spaces' notes that discuss the question best
        come apart, as related days (`ranking`: this question's search; searched here when
        not given)."""
        curated = match.curated
        stored = self._cited_days(curated.cites, query, spaces, curated.space)
        found = self._discussed_days(
            query, ranking or self.index.search(query, spaces=spaces),
            {c.section_id for c in stored}, max(query.limit - len(stored), 0))
        return Answer(
            question=query.text,
            text=curated.answer,
            kind="curated",
            confidence=match.similarity,
            language=query.language,
            citations=stored,
            related=found,
            curated_slug=curated.slug,
            curated_author=curated.author,
            scores={"curated_similarity": round(match.similarity, 4)},
        )

    def _cited_days(self, cites: Sequence[str], query: Query, spaces: Collection[str],
                    curated_space: str) -> list[Citation]:
        """Citations for a curated answer's `file · Day K` references that `spaces` hold.

        A reference names a section by identity, never by a path's suffix: the shipped
        sample's file of that name, or (for a space's own curated answer) a note of that
        space whose file name is exactly it. A camper's `notweek2.md` is neither.
        """
        citations: list[Citation] = []
        with self.store.session() as session:
            for cite in cites:
                name, day = parse_cite(cite)
                named = Source.path == shipped_sample_key(name)
                if curated_space != SHARED and curated_space in spaces:
                    own = (Source.path == name) | Source.path.endswith("/" + name)
                    named = named | ((Source.space == curated_space) & own)
                row = session.execute(
                    select(Section, Source.path)
                    .join(Source, Section.source_id == Source.id)
                    .where(Source.space.in_(list(spaces)), named)
                    .where((Section.day_label == day) | (Section.title == day))
                    .order_by(Source.path != shipped_sample_key(name), Section.id)
                ).first()
                if row is None:
                    continue
                section, path = row
                # Quote the cited day where it speaks to this question.
                citations.append(_citation(section, path,
                                           self._best_quote(section.id, section.text, query)))
        return citations[:query.limit]

    def _discussed_days(self, query: Query, ranking: Ranking, cited: set[int],
                        limit: int) -> list[Citation]:
        """The best days of this store's own notes for the question, labelled as such."""
        hits = [h for h in ranking.sections if h.section_id not in cited][:limit]
        if not hits:
            return []
        sections = self._load_sections(hits)
        note = DISCUSSED[query.language]
        citations = []
        for hit in hits:
            if hit.section_id not in sections.sections:
                continue  # removed by another process since the index ranked it
            section, path = sections.sections[hit.section_id]
            text = sections.passages.get(hit.passage_ids[0]) or ""
            cite = _citation(section, path, self._best_quote(hit.passage_ids[0], text, query))
            citations.append(replace(cite, label=f"{cite.label} · {note}"))
        return citations

    def _best_quote(self, passage_id: int, text: str, query: Query) -> str:
        """The sentence of a text that speaks to the question best, as a citation quote."""
        self._prime_sentences([text])
        best = pick_sentences([(passage_id, text)], self._sentence_tokens, query.known_idf,
                              limit=1, follow=0)
        return short_quote(best[0].text if best else text[:160])

    def passage_answer(self, query: Query, ranking: Ranking) -> Answer:
        """An extract of the best day with its citations, or 'not yet' when nothing answers."""
        limit = query.limit
        shown = max(limit, 3)
        sections = self._load_sections(ranking.sections[:shown])
        # A file another process removed stays in this index until the next refresh: skip
        # the days whose rows are gone rather than cite them.
        hits = [h for h in ranking.sections[:shown] if h.section_id in sections.sections]
        ranking = replace(ranking, sections=hits + ranking.sections[shown:])
        if hits:
            used = hits[0].passage_ids[:BODY_PASSAGES] + [h.passage_ids[0] for h in hits[:limit]]
            self._prime_sentences([sections.passages[p] for p in dict.fromkeys(used)
                                   if p in sections.passages])
        signals = self.signals(query, ranking, sections)
        score = confidence(signals, self.model)
        scores = signals.as_dict() | {"confidence": round(score, 4)}
        if (
            not hits
            or declines(signals, self.settings.answer_threshold, self.model)
            or self._shares_too_little(hits[0], query)
        ):
            return self._abstain(query, sections, score, scores)
        extract = self._extract(query, hits[:limit], sections.passages,
                                sections.sentence_vectors)
        body = extract.body
        citations = []
        for hit, quote in zip(hits[:limit], extract.quotes, strict=True):
            section, path = sections.sections[hit.section_id]
            citations.append(_citation(section, path, quote))
        return Answer(
            question=query.text,
            text=body,
            kind="passage",
            confidence=score,
            language=query.language,
            citations=citations,
            scores=scores,
        )

    def _extract(self, query: Query, hits: list[SectionHit], passages: dict[int, str],
                 vectors: dict[int, bytes | None]) -> Extract:
        """The shown text: the top day's best sentences and a quote of each cited day."""
        expansions = {t: self.index.idf(t, query.spaces) for t in query.expansions}
        weights = extract_weights(query.known_idf, expansions)
        top = [(pid, passages[pid]) for pid in hits[0].passage_ids[:BODY_PASSAGES]
               if pid in passages]
        cited = [(hit.passage_ids[0], passages.get(hit.passage_ids[0]) or "") for hit in hits]
        dim = len(query.vector)
        matrices = {pid: sentence_matrix(vectors.get(pid), dim) for pid, _ in top}
        nearest = nearest_sentences(top, matrices, query.vector)
        extract = compose_extract(top, cited, self._sentence_tokens, weights, nearest)
        quotes = extract.quotes[:1]
        for hit, quote in zip(hits[1:], extract.quotes[1:], strict=True):
            day = [(pid, passages[pid]) for pid in hit.passage_ids[:BODY_PASSAGES]
                   if pid in passages]
            day_vectors = {pid: sentence_matrix(vectors.get(pid), dim) for pid, _ in day}
            quotes.append(meaning_quote(day, day_vectors, query.vector, self._sentence_tokens,
                                        weights) or quote)
        return replace(extract, quotes=quotes)

    def _shares_too_little(self, hit: SectionHit, query: Query) -> bool:
        """Whether a day shares too few of the question's words to answer it.

        The share is idf-weighted, words no note contains counted as the rarest; a day passes
        with two shared words or MIN_SHARED of the weight (an English question: one word of
        its own or of the glossary's).
        """
        strict = query.strict_idf
        present: set[str] = set()
        for pid in hit.passage_ids[:3]:
            present.update(self.index.passage_tokens(pid))
        shared = [t for t in strict if t in present]
        if query.language == "en":
            return not shared and not any(t in present for t in query.expansions)
        share = sum(strict[t] for t in shared) / (sum(strict.values()) or 1.0)
        return len(shared) < 2 and share < MIN_SHARED[query.language]

    def signals(self, query: Query, ranking: Ranking, loaded: _Loaded) -> Signals:
        """The verification features of a ranking (see knowledge.answering.answerability)."""
        hits = ranking.sections
        english = query.language == "en"
        foreign = 0.0 if english else float(len(foreign_terms(
            list(query.idf), lambda t: self.index.knows(t, typos=True, spaces=query.spaces)
        )))
        if not hits:
            missing = number_missing(query.text, (), ())
            return Signals(foreign=foreign, number_missing=missing, margin=0.0, sent_top=0.0)
        pids = [p for p in hits[0].passage_ids[:VERIFIED_PASSAGES] if p in loaded.passages]
        sentences = [(line, self._sentence_tokens(line))
                     for pid in pids for line in split_sentences(loaded.passages[pid])]
        return Signals(
            foreign=foreign,
            number_missing=number_missing(query.text, self._asked_words(query), sentences),
            margin=rank_margin(hits),
            sent_top=self._sentence_top(query, pids, loaded, hits[0]),
        )

    def _asked_words(self, query: Query) -> set[str]:
        """What a number question counts (its focus and the focus's glossary words); the
        question's own and glossary words when no focus is found."""
        words = self.tokenizer.content_words(query.text)
        focus = number_focus(query.text, words)
        if focus is None:
            return set(query.strict_idf) | set(query.expansions)
        # The search tokens written at the focus word too: the content word of `f1` is `f`,
        # but the notes' sentences hold the token `f1`.
        at = next((offset for word, offset in words if word == focus), -1)
        positioned = self.tokenizer.positioned_tokens(query.text)
        written = [t for t, offset in positioned if offset == at]
        action = asked_action(query.text, positioned)
        asked = set(self.index.glossary.expand([focus, *written], query.text))
        return asked | {action} if action else asked

    def _sentence_top(self, query: Query, pids: list[int], loaded: _Loaded,
                      top: SectionHit) -> float:
        """The best cosine of the question with a sentence of the top day's best passages (the
        passage cosine when their sentences were never embedded)."""
        best = None
        for pid in pids:
            matrix = sentence_matrix(loaded.sentence_vectors.get(pid), len(query.vector))
            if len(matrix):
                cosine = float((matrix @ query.vector).max())
                best = cosine if best is None else max(best, cosine)
        return top.dense if best is None else best

    def _abstain(self, query: Query, sections: _Loaded, score: float,
                 scores: dict[str, float]) -> Answer:
        topics = [section.label for section, _ in list(sections.sections.values())[:3]]
        if query.language == "ko":
            text = (
                "아직 모르겠어요… 이 질문에 답하는 기록을 찾지 못했어요. "
                "메인테이너가 볼 수 있게 기록해 둘게요."
            )
        else:
            text = ("I don't know yet… I found no notes that answer this. "
                    "I've logged it for the maintainers.")
        return Answer(question=query.text, text=text, kind="abstain", confidence=score,
                      language=query.language, nearest_topics=topics, scores=scores)

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
                select(Passage.id, Passage.text, Passage.sentence_tokens,
                       Passage.sentence_vectors)
                .where(Passage.id.in_(passage_ids))
            ).all()
        loaded.passages = {pid: text for pid, text, _, _ in rows}
        loaded.sentence_vectors = {pid: blob for pid, _, _, blob in rows}
        self._remember_sentences((text, lines) for _, text, lines, _ in rows)
        loaded.sections = {sid: loaded.sections[sid] for sid in section_ids
                           if sid in loaded.sections}
        return loaded


class _Loaded:
    """Sections and passage texts fetched for one answer."""

    def __init__(self) -> None:
        self.sections: dict[int, tuple[Section, str]] = {}
        self.passages: dict[int, str] = {}
        self.sentence_vectors: dict[int, bytes | None] = {}


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
