"""Rows a curated answer's change writes: its saved version and its embedded phrasings."""

from __future__ import annotations

from index.embedder import TextEmbedder, vector_to_bytes
from index.tokens import Tokenizer
from knowledge.notes.ingest import content_hash
from knowledge.store.models import CuratedAnswer, CuratedPhrase, CuratedVersion


def save_version(row: CuratedAnswer, *, note: str) -> None:
    """Append the answer's current state to its history."""
    row.versions.append(
        CuratedVersion(
            version=row.version,
            question=row.question,
            paraphrases=list(row.paraphrases),
            answer=row.answer,
            cites=list(row.cites),
            negatives=list(row.negatives or ()),
            author=row.author,
            active=row.active,
            note=note,
        )
    )


def embed_phrases(row: CuratedAnswer, embedder: TextEmbedder, tokenizer: Tokenizer) -> None:
    """Embed the question and its paraphrases as the phrasings questions are matched to, and
    its negative phrasings (questions it does not answer) after them."""
    own = list(dict.fromkeys([row.question, *row.paraphrases]))
    negatives = [text for text in dict.fromkeys(row.negatives or ()) if text not in own]
    texts = own + negatives
    vectors = embedder.embed_queries(texts)
    row.phrases = [
        CuratedPhrase(
            text=text,
            tokens=" ".join(tokenizer.tokens(text)),
            embed_hash=content_hash(f"{embedder.name}\n{text}"),
            vector=vector_to_bytes(vector),
            embedder=embedder.name,
            negative=number >= len(own),
        )
        for number, (text, vector) in enumerate(zip(texts, vectors, strict=True))
    ]


def copy_curated(row: CuratedAnswer, space: str) -> CuratedAnswer:
    """A space's own copy of a (shared) curated answer, phrasings and vectors included, which
    from now on stands in for it in that space."""
    fields = ("slug", "question", "paraphrases", "answer", "cites", "negatives", "tags", "author",
              "active", "version")
    copy = CuratedAnswer(space=space, **{name: getattr(row, name) for name in fields})
    copy.phrases = [
        CuratedPhrase(text=p.text, tokens=p.tokens, embed_hash=p.embed_hash, vector=p.vector,
                      embedder=p.embedder, negative=p.negative)
        for p in row.phrases
    ]
    return copy
