"""Two-turn dialogues: hit@3 of a follow-up alone and with its thread, leave-one-corpus-out."""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.answering.answer import Answer
from knowledge.settings import Settings

BOOSTS = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2)  # the cited-day boosts tried (fused-score units)
HIT_DEPTH = 3


@dataclass(frozen=True)
class Dialogue:
    """A thread's first question and a follow-up that is ambiguous alone, with the file (and
    day) that answers the follow-up."""

    id: str
    corpus: str
    first: str
    followup: str
    answer_sources: tuple[str, ...]


@dataclass
class DialogueResult:
    """Whether the answering file was among the first three citations: alone, and in the
    thread with each boost tried."""

    dialogue: Dialogue
    alone: bool
    in_thread: dict[float, bool] = field(default_factory=dict)


def load_dialogues(path: Path) -> list[Dialogue]:
    """Read tests/data/followups.jsonl (`first`, `q`, `corpus`, `answer_sources`)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [Dialogue(id=row["id"], corpus=row["corpus"], first=row["first"],
                     followup=row["q"], answer_sources=tuple(row["answer_sources"]))
            for row in rows]


def hit(answer: Answer, dialogue: Dialogue) -> bool:
    """Whether a citation among the first three is an answering file."""
    return any(c.source.endswith(suffix) for c in answer.citations[:HIT_DEPTH]
               for suffix in dialogue.answer_sources)


def run_corpus(dialogues: Sequence[Dialogue], corpus: Path, *, settings: Settings,
               embedder: Any, boosts: Sequence[float] = BOOSTS) -> list[DialogueResult]:
    """Every dialogue of one corpus on a fresh store of it (abstention off): the first question
    asked and logged in its own thread, then the follow-up alone and with the thread."""
    from knowledge.core import Sunbae

    with tempfile.TemporaryDirectory(prefix="sunbae-followups-") as tmp:
        fresh = settings.model_copy(update={
            "data_dir": Path(tmp), "database_url": None, "index_dir": None,
            "answer_threshold": 0.0, "model_cache": settings.resolved_model_cache.resolve()})
        core = Sunbae.open(fresh, embedder=embedder)
        try:
            core.ingest_paths([corpus])
            core.load_shipped_curated()
            results = []
            for dialogue in dialogues:
                thread = f"eval:thread/{dialogue.id}"
                core.ask(dialogue.first, user="eval", channel=thread)
                alone = core.ask(dialogue.followup, record=False)
                context = core.conversation(channel=thread)
                result = DialogueResult(dialogue, alone=hit(alone, dialogue))
                for boost in boosts:
                    core.cited_day_boost = boost
                    answer = core.ask(dialogue.followup, context=context, record=False)
                    result.in_thread[boost] = hit(answer, dialogue)
                results.append(result)
        finally:
            core.close()
    return results


def share(flags: Sequence[bool]) -> float:
    """The share of true flags (0 for none)."""
    return sum(flags) / len(flags) if flags else 0.0


def leave_one_out(results: Sequence[DialogueResult]) -> dict[str, Any]:
    """Per held-out corpus, the boost best on the other corpora (the smallest among ties)
    scored on it; pooled out-of-corpus hit@3 with the thread, and alone."""
    by_corpus: dict[str, list[DialogueResult]] = defaultdict(list)
    for result in results:
        by_corpus[result.dialogue.corpus].append(result)
    boosts = sorted(results[0].in_thread) if results else []
    chosen: dict[str, float] = {}
    held_out: list[bool] = []
    for corpus, rows in sorted(by_corpus.items()):
        others = [r for r in results if r.dialogue.corpus != corpus]
        best = max(boosts, key=lambda b: (share([r.in_thread[b] for r in others]), -b))
        chosen[corpus] = best
        held_out += [r.in_thread[best] for r in rows]
    everywhere = {b: round(share([r.in_thread[b] for r in results]), 4) for b in boosts}
    return {
        "dialogues": len(results),
        "alone_hit@3": round(share([r.alone for r in results]), 4),
        "thread_hit@3_out_of_corpus": round(share(held_out), 4),
        "boost_chosen_per_corpus": chosen,
        "thread_hit@3_by_boost_in_sample": everywhere,
    }
