"""Two-turn dialogues: hit@3 of a follow-up alone and with its thread, leave-one-corpus-out."""

from __future__ import annotations

import itertools
import json
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.answering.answer import Answer
from knowledge.settings import Settings

# The settings tried: the follow-up's own ranking's weight in the fusion, and the cited-day boost
# (positive: the days cited earlier are to be preferred; without the fusion, 0.02 beat 0 on the
# follow-ups; with it, 0 ties or wins in-sample, README "Follow-ups").
ALONE_WEIGHTS = (0.0, 0.25, 0.5, 1.0)
BOOSTS = (0.01, 0.02, 0.05)
GRID = tuple(itertools.product(ALONE_WEIGHTS, BOOSTS))
HIT_DEPTH = 3

Setting = tuple[float, float]  # (alone weight, cited-day boost)


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
    """Whether the answering file was among the first three citations, alone and in the thread
    per setting; and the same for a control: another dialogue's first question (self-contained,
    on another day) asked in this thread."""

    dialogue: Dialogue
    alone: bool
    in_thread: dict[Setting, bool] = field(default_factory=dict)
    control_alone: bool = False
    control_in_thread: dict[Setting, bool] = field(default_factory=dict)


def load_dialogues(path: Path) -> list[Dialogue]:
    """Read tests/data/followups.jsonl (`first`, `q`, `corpus`, `answer_sources`)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [Dialogue(id=row["id"], corpus=row["corpus"], first=row["first"],
                     followup=row["q"], answer_sources=tuple(row["answer_sources"]))
            for row in rows]


def hit(answer: Answer, sources: Sequence[str]) -> bool:
    """Whether a day among the first three shown is an answering file."""
    return any(c.source.endswith(suffix) for c in answer.shown_days()[:HIT_DEPTH]
               for suffix in sources)


def run_corpus(dialogues: Sequence[Dialogue], corpus: Path, *, settings: Settings,
               embedder: Any, grid: Sequence[Setting] = GRID) -> list[DialogueResult]:
    """Every dialogue of one corpus on a fresh store of it (abstention off): the first question
    asked and logged in its own thread, then the follow-up (and the control) alone and with the
    thread under every setting."""
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
            for n, dialogue in enumerate(dialogues):
                control = dialogues[(n + 1) % len(dialogues)]
                thread = f"eval:thread/{dialogue.id}"
                core.ask(dialogue.first, user="eval", channel=thread)
                context = core.conversation(channel=thread)
                result = DialogueResult(
                    dialogue, alone=hit(core.ask(dialogue.followup, record=False),
                                        dialogue.answer_sources),
                    control_alone=hit(core.ask(control.first, record=False),
                                      control.answer_sources))
                for setting in grid:
                    core.alone_weight, core.cited_day_boost = setting
                    result.in_thread[setting] = hit(
                        core.ask(dialogue.followup, context=context, record=False),
                        dialogue.answer_sources)
                    result.control_in_thread[setting] = hit(
                        core.ask(control.first, context=context, record=False),
                        control.answer_sources)
                results.append(result)
        finally:
            core.close()
    return results


def share(flags: Sequence[bool]) -> float:
    """The share of true flags (0 for none)."""
    return sum(flags) / len(flags) if flags else 0.0


def objective(rows: Sequence[DialogueResult], setting: Setting) -> float:
    """What a setting is chosen by: hit@3 of the follow-ups and of the controls, equally
    (rounded, so equal counts tie exactly)."""
    return round((share([r.in_thread[setting] for r in rows])
                  + share([r.control_in_thread[setting] for r in rows])) / 2, 9)


def leave_one_out(results: Sequence[DialogueResult]) -> dict[str, Any]:
    """Per held-out corpus, the setting best on the other corpora (the smallest among ties)
    scored on it; pooled out-of-corpus hit@3 with the thread, and alone."""
    by_corpus: dict[str, list[DialogueResult]] = defaultdict(list)
    for result in results:
        by_corpus[result.dialogue.corpus].append(result)
    grid = sorted(results[0].in_thread) if results else []
    chosen: dict[str, Setting] = {}
    held_out: list[bool] = []
    controls: list[bool] = []
    for corpus, rows in sorted(by_corpus.items()):
        others = [r for r in results if r.dialogue.corpus != corpus]
        best = max(grid, key=lambda s: (objective(others, s), -s[1], -s[0]))
        chosen[corpus] = best
        held_out += [r.in_thread[best] for r in rows]
        controls += [r.control_in_thread[best] for r in rows]
    return {
        "dialogues": len(results),
        "alone_hit@3": round(share([r.alone for r in results]), 4),
        "thread_hit@3_out_of_corpus": round(share(held_out), 4),
        "control_alone_hit@3": round(share([r.control_alone for r in results]), 4),
        "control_thread_hit@3_out_of_corpus": round(share(controls), 4),
        "chosen_per_corpus": {c: list(s) for c, s in chosen.items()},
        "in_sample": {f"{w}/{b}": [round(share([r.in_thread[(w, b)] for r in results]), 3),
                                   round(share([r.control_in_thread[(w, b)] for r in results]), 3)]
                      for w, b in grid},
    }
