"""The `sunbae` command line: ingest, ask, curate, evaluate, chat."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from knowledge.settings import Settings, get_settings

log = logging.getLogger("sunbae")


def _core(settings: Settings | None = None):  # type: ignore[no-untyped-def]
    from knowledge.core import Sunbae

    return Sunbae(settings or get_settings())


def _progress_bar(label: str):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    bar: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, desc=label, unit="passage", file=sys.stderr)
        bar["bar"].n = done
        bar["bar"].refresh()
        if done >= total:
            bar["bar"].close()

    return update


def cmd_ingest(args: argparse.Namespace) -> int:
    from knowledge.errors import UnreadableNote
    from knowledge.notes.reading import find_notes

    settings = get_settings()
    paths = [Path(p) for p in args.paths]
    if settings.allowed_root is not None:
        try:  # every file, those found inside folders and behind symlinks too
            find_notes(paths, allowed_root=settings.allowed_root)
        except UnreadableNote as exc:
            print(f"error: {exc}\nnothing was stored.", file=sys.stderr)
            return 1
    core = _core(settings)
    try:
        report = core.ingest_paths(paths, author=args.author, progress=_progress_bar("embedding"))
    except UnreadableNote as exc:
        print(f"error: {exc}\nnothing was stored.", file=sys.stderr)
        return 1
    finally:
        core.close()
    print(report.summary())
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.cli.formatting import render_answer
    from knowledge.errors import EmptyQuestion

    core = _core()
    try:
        answer = core.ask(args.question, user=args.user, max_citations=args.citations)
    except EmptyQuestion as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        core.close()
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_answer(answer))
    return 0


def cmd_curate(args: argparse.Namespace) -> int:
    from bot.cli.curate import run_curate

    core = _core()
    try:
        return run_curate(core, args)
    finally:
        core.close()


def cmd_unanswered(args: argparse.Namespace) -> int:
    core = _core()
    try:
        groups = core.unanswered(limit=args.limit)
    finally:
        core.close()
    if not groups:
        print("No unanswered questions.")
    for group in groups:
        ids = ",".join(str(i) for i in group.ask_ids)
        print(f"{group.count}× {group.question}  (asks {ids})")
    return 0


def cmd_reindex(_args: argparse.Namespace) -> int:
    from index.vectors import MANIFEST_FILE

    settings = get_settings()
    (settings.resolved_index_dir / MANIFEST_FILE).unlink(missing_ok=True)
    core = _core(settings)  # a missing manifest makes the core rebuild from stored vectors
    print(f"index rebuilt: {len(core.index)} passages")
    core.close()
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from knowledge.doctor import examine, repair

    settings = get_settings()
    findings = repair(settings) if args.repair else examine(settings)
    for finding in findings:
        print(f"{'ok ' if finding.ok else 'BAD'} {finding.part}: {finding.detail}")
    return 0 if all(f.ok for f in findings) else 1


def cmd_chat(_args: argparse.Namespace) -> int:
    from bot.chat import run_chat

    core = _core()
    try:
        return run_chat(core, sys.stdin, sys.stdout)
    finally:
        core.close()


def cmd_eval(args: argparse.Namespace) -> int:
    from knowledge.evaluation.evaluate import run_eval

    def show(result) -> None:  # type: ignore[no-untyped-def]
        if args.verbose:
            q = result.question
            mark = "✓" if result.ranks and result.ranks[0] == 1 else ("~" if result.ranks else "✗")
            print(f"{mark} {q.id} {q.kind:12} {result.answer.kind:8} "
                  f"{result.answer.scores} ranks={result.ranks[:3]} {q.q[:50]}", file=sys.stderr)

    metrics, _ = run_eval(Path(args.questions), [Path(c) for c in args.corpus],
                          settings=get_settings(), on_result=show)
    if args.json:
        print(json.dumps(metrics, ensure_ascii=False))
    else:
        for key, value in metrics.items():
            if key != "by_kind":
                print(f"{key:16} {value:.3f}" if isinstance(value, float) else f"{key:16} {value}")
        for kind, block in metrics["by_kind"].items():
            print(f"  {kind:12} hit@1 {block['hit@1']:.2f} hit@5 {block['hit@5']:.2f} "
                  f"mrr@10 {block['mrr@10']:.2f} (n={block['n']})")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from knowledge.bench.run import render, run_bench
    from knowledge.core import sample_journal_dir

    shared = Path(__file__).resolve().parents[2].parent / "shared"
    corpora = [Path(c) for c in args.corpus] or (
        sorted(p for p in (shared / "corpus").iterdir() if p.is_dir())
        if (shared / "corpus").exists()
        else [sample_journal_dir()]
    )
    questions = Path(args.questions) if args.questions else shared / "eval" / "dev.jsonl"
    result = run_bench(get_settings(), corpora, questions, max_passages=args.max_passages)
    print(json.dumps(result, ensure_ascii=False) if args.json else render(result))
    return 0


def cmd_load_curated(_args: argparse.Namespace) -> int:
    core = _core()
    try:
        report = core.load_shipped_curated()
    finally:
        core.close()
    print(", ".join(f"{k} {len(v)}" for k, v in report.items()))
    return 0


def cmd_start(_args: argparse.Namespace) -> int:
    """`make run`: load the sample journal and curated answers, then open a channel."""
    from knowledge.core import sample_journal_dir

    settings = get_settings()
    core = _core(settings)
    try:
        report = core.ingest_paths([sample_journal_dir()], author="sample")
        curated = core.load_shipped_curated()
        print(f"sample journal: {report.summary()}; curated answers: "
              + ", ".join(f"{k} {len(v)}" for k, v in curated.items()), file=sys.stderr)
        if settings.discord_token is not None:
            try:
                from bot.discord_app import run_bot
            except ImportError:
                print("DISCORD_TOKEN is set but the Discord bot is not part of this build; "
                      "opening the local channel instead.", file=sys.stderr)
            else:
                return run_bot(core, settings)
        from bot.chat import run_chat

        return run_chat(core, sys.stdin, sys.stdout)
    finally:
        core.close()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="sunbae", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="ingest note files and folders")
    p.add_argument("paths", nargs="+")
    p.add_argument("--author", default=None)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="ask one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true")
    p.add_argument("--user", default="cli")
    p.add_argument("--citations", type=int, default=None)
    p.set_defaults(func=cmd_ask)

    from bot.cli.curate import add_curate_parser

    add_curate_parser(sub, cmd_curate)

    p = sub.add_parser("unanswered", help="questions Sunbae could not answer")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_unanswered)

    p = sub.add_parser("reindex", help="rebuild the search index from stored vectors")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("doctor", help="check that database, vectors and index agree")
    p.add_argument("--repair", action="store_true", help="rebuild what disagrees")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("chat", help="a local channel in the terminal")
    p.set_defaults(func=cmd_chat)

    from bot.cli.serve import add_serve_parser

    add_serve_parser(sub)

    p = sub.add_parser("start", help="sample journal + curated answers, then chat (make run)")
    p.set_defaults(func=cmd_start)

    p = sub.add_parser("load-curated", help="import the curated answers shipped in the repo")
    p.set_defaults(func=cmd_load_curated)

    p = sub.add_parser("bench", help="speed next to the bare model and FAISS")
    p.add_argument("--corpus", action="append", default=[])
    p.add_argument("--questions", default=None)
    p.add_argument("--json", action="store_true")
    p.add_argument("--max-passages", type=int, default=1_000_000,
                   help="largest corpus size measured (10k, 100k, 1M are generated)")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("eval", help="score answers on a questions file")
    p.add_argument("questions")
    p.add_argument("--corpus", action="append", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `sunbae` console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from knowledge.errors import StoreUnavailable

    try:
        return int(args.func(args) or 0)
    except StoreUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        log.info("database unreachable: %s", exc.detail)
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
