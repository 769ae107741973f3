"""A question as the indexes see it: built once by the hybrid index, then passed down as is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Query:
    """One question: its text, language, vector and search words, with their weights."""

    text: str
    language: str  # "ko" or "en": answers follow it
    limit: int  # citations wanted
    vector: np.ndarray = field(repr=False)
    tokens: tuple[str, ...]  # the question's own search words, unknown compounds split
    expansions: tuple[str, ...] = ()  # glossary words added for the search only
    idf: Mapping[str, float] = field(default_factory=dict)  # each own word; 0 when no note has it
    expansion_weight: float = 0.5  # BM25 weight of an expansion (own words weigh 1)
    spaces: tuple[str, ...] | None = None  # whose passages its statistics are (None: all)

    @property
    def search_tokens(self) -> list[str]:
        """The words BM25 looks for: the question's own, then the glossary's."""
        return [*self.tokens, *self.expansions]

    @property
    def token_weights(self) -> dict[str, float]:
        """BM25 weights that differ from 1 (the expansions')."""
        return dict.fromkeys(self.expansions, self.expansion_weight)

    @property
    def known_idf(self) -> dict[str, float]:
        """The question's words that some note contains, with their idf."""
        return {t: w for t, w in self.idf.items() if w > 0}

    @property
    def strict_idf(self) -> dict[str, float]:
        """The question's words with their idf, words no note contains weighing like the
        rarest one: a question about them is probably one the notes cannot answer."""
        ceiling = max([w for w in self.idf.values() if w > 0], default=1.0)
        return {t: (w if w > 0 else ceiling) for t, w in self.idf.items()}
