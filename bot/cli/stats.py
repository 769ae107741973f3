"""`sunbae stats [--days N] [--json]`: how questions went lately, for maintainers."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, TextIO

from bot.cli.formatting import terminal_text
from bot.cli.opening import opened_core

if TYPE_CHECKING:
    from knowledge.core import Sunbae
    from knowledge.store.ask_stats import AskStats

REASON_WORDS = {"wrong_day": "wrong day", "outdated": "outdated",
                "did_not_answer": "did not answer", "other": "other", "not_given": "not given"}


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register `stats`."""
    p = sub.add_parser("stats", help="asks, answer kinds, votes and latency of the last days")
    p.add_argument("--days", type=int, default=7, help="how many days back (default 7)")
    p.add_argument("--json", action="store_true", help="print the numbers as JSON")
    p.set_defaults(func=cmd_stats)


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the stats of the configured space."""
    if args.days < 1:
        print("sunbae stats: --days is at least 1", file=sys.stderr)
        return 2
    with opened_core() as core:
        return run_stats(core, days=args.days, as_json=args.json)


def run_stats(core: Sunbae, *, days: int, as_json: bool, out: TextIO | None = None) -> int:
    """Write the stats of the last `days` days to `out` (stdout), as JSON or as text."""
    out = out or sys.stdout
    stats = core.ask_stats(days=days)
    if as_json:
        print(json.dumps(stats.as_json(), ensure_ascii=False), file=out)
    else:
        print(stats_text(stats), file=out)
    return 0


def stats_text(stats: AskStats) -> str:
    """The stats as a person reads them in a terminal."""
    def ms(value: float | None) -> str:
        return "—" if value is None else f"{value:.0f} ms"

    lines = [f"지난 {stats.days}일 · Last {stats.days} days: {stats.asks} asks"]
    for kind in ("curated", "passage", "abstain"):
        lines.append(f"  {kind:8} {stats.by_kind.get(kind, 0):5}  "
                     f"({stats.share(kind) * 100:.0f}%)")
    lines.append(f"votes: 👍 {stats.votes_up} · 👎 {stats.votes_down}")
    for reason, count in stats.down_reasons.items():
        lines.append(f"  👎 {REASON_WORDS.get(reason, reason)}: {count}")
    for text in stats.other_reasons[:5]:
        lines.append(f"     “{terminal_text(text, one_line=True)}”")
    lines.append(f"latency: p50 {ms(stats.p50_ms)} · p95 {ms(stats.p95_ms)}")
    if stats.top_unanswered:
        lines.append("top unanswered:")
        for group in stats.top_unanswered:
            lines.append(f"  {group.count}× {terminal_text(group.question, one_line=True)}")
    return "\n".join(lines)
