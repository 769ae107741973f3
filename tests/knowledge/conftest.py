"""Fixtures of the fast knowledge tests: an Ingestor on a SQLite file, the real index parts
following it, and the fake embedder."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import func, select

from index.embedder import vectors_from_bytes
from index.lexical import BM25Index
from index.tokens import Tokenizer
from index.vectors import VectorIndex
from knowledge.notes.ingest import IndexedPassage, Ingestor, NoteFile
from knowledge.store.database import Store
from knowledge.store.models import Passage, Section, Source
from tests.fakes import FakeEmbedder

WEEK = "Week 1 (03/02 ~ 03/06)\n===\n\n"
DAY_1 = "Day 1 (03/02)\n---\n오늘은 옵티마이저로 AdamW를 처음 써봤다. weight decay가 분리된다.\n"
DAY_2 = "Day 2 (03/03)\n---\n오늘은 BatchNorm의 momentum 값을 바꿔 실험했다.\n"
OTHER = "# Day 9 - 도커\n\n도커 컴포즈로 postgres 와 bot 컨테이너를 같이 띄웠다.\n"


def journal(*days: str) -> str:
    """A one-week journal in the weekly layout."""
    return WEEK + "\n".join(days)


def note(key: str, text: str) -> NoteFile:
    """A note keyed and shown by `key`."""
    return NoteFile(key=key, display=key, text=text)


class FollowingIndex:
    """FAISS and BM25 following the store, as the core applies an ingest's change to them."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.vectors = VectorIndex(dim)
        self.lexical = BM25Index()
        self.applied = 0  # how many ingests reached the index

    def apply(self, removed: list[int], added: list[IndexedPassage]) -> None:
        """The Ingestor's `sync_index`: drop the removed ids, add the new passages."""
        self.applied += 1
        self.vectors.remove(np.asarray(removed, dtype=np.int64))
        self.lexical.remove(removed)
        self.vectors.add(np.asarray([p.id for p in added], dtype=np.int64),
                         vectors_from_bytes([p.vector for p in added], self.dim))
        for passage in added:
            self.lexical.add(passage.id, passage.tokens)

    def ids(self) -> set[int]:
        """The passage ids in FAISS, checked to be those in BM25 too."""
        held = set(self.vectors.ids().tolist())
        # Every passage of these tests has words, so each held id has BM25 tokens.
        assert len(self.lexical) == len(held), "FAISS and BM25 hold different counts"
        assert all(self.lexical.tokens_of(i) for i in held), "FAISS and BM25 disagree"
        return held


def counts(store: Store) -> tuple[int, int, int]:
    """(sources, sections, passages) in the store."""
    with store.session() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(table))
            for table in (Source, Section, Passage)
        )


def passage_ids(store: Store, key: str | None = None) -> set[int]:
    """Ids of the stored passages (of one source when `key` is given)."""
    query = select(Passage.id)
    if key is not None:
        query = (query.join(Section, Passage.section_id == Section.id)
                 .join(Source, Section.source_id == Source.id).where(Source.path == key))
    with store.session() as session:
        return set(session.scalars(query))


@pytest.fixture
def following_index(fake_embedder: FakeEmbedder) -> FollowingIndex:
    """Empty FAISS and BM25 indexes of the fake embedder's dimension."""
    return FollowingIndex(fake_embedder.dim)


@pytest.fixture
def ingestor(store: Store, fake_embedder: FakeEmbedder, tokenizer: Tokenizer,
             following_index: FollowingIndex) -> Ingestor:
    """The real Ingestor over a fresh SQLite store, with the fake embedder."""
    return Ingestor(store, fake_embedder, tokenizer, following_index.apply,  # type: ignore[arg-type]
                    chunk_chars=400)
