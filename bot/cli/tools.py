"""`sunbae eval` and `bench`: answer quality on a questions file, and speed."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from knowledge.settings import get_settings

# The shared corpora and questions live beside the repository (../shared), when present.
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def cmd_eval(args: argparse.Namespace) -> int:
    """Score answers to a questions file over fresh copies of the corpora (or, with --loco,
    every evaluation set leave-one-corpus-out)."""
    from knowledge.evaluation.evaluate import run_eval, write_details

    if args.loco:
        return _loco(args)
    if not args.questions or not args.corpus:
        print("sunbae eval: give QUESTIONS and --corpus, or --loco", file=sys.stderr)
        return 2

    def show(result) -> None:
        if args.verbose:
            q = result.question
            mark = "✓" if result.ranks and result.ranks[0] == 1 else ("~" if result.ranks else "✗")
            print(f"{mark} {q.id} {q.kind:12} {result.answer.kind:8} "
                  f"{result.answer.scores} ranks={result.ranks[:3]} {q.q[:50]}", file=sys.stderr)

    metrics, results = run_eval(Path(args.questions), [Path(c) for c in args.corpus],
                                settings=get_settings(), on_result=show)
    if args.details:
        write_details(results, Path(args.details))
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


def _loco(args: argparse.Namespace) -> int:
    """`make eval`: the leave-one-corpus-out table; --write also ships the all-corpora fit."""
    import time

    from knowledge.answering.answerability import model_file
    from knowledge.evaluation import calibrate, loco
    from knowledge.evaluation.evaluate import write_details

    started = time.perf_counter()
    settings = get_settings()
    sets = [loco.parse_set(s) for s in args.set] or loco.default_sets()
    collected = loco.collect_all(sets, settings)
    report = loco.leave_one_out(collected, settings.answer_threshold)
    if args.details:
        write_details([r for results in report.results.values() for r in results],
                      Path(args.details))
    if args.json:
        print(json.dumps({"rows": report.rows, "mean": report.mean()}, ensure_ascii=False))
    else:
        print(loco.render(report))
        print(f"({time.perf_counter() - started:.0f} s)")
    if args.write:
        samples = [s for e in sets for s in loco.samples_of(e.name, collected[e.name])]
        document = calibrate.model_document(calibrate.fit(samples), samples,
                                            [e.name for e in sets])
        calibrate.write_model(document, Path(str(model_file())))
        print(f"wrote {model_file()}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """The speed figures, each next to what bounds it."""
    from knowledge.bench.run import render, run_bench
    from knowledge.core import sample_journal_dir

    corpora = [Path(c) for c in args.corpus] or (
        sorted(p for p in (SHARED / "corpus").iterdir() if p.is_dir())
        if (SHARED / "corpus").exists()
        else [sample_journal_dir()]
    )
    questions = Path(args.questions) if args.questions else SHARED / "eval" / "dev.jsonl"
    result = run_bench(get_settings(), corpora, questions, max_passages=args.max_passages)
    print(json.dumps(result, ensure_ascii=False) if args.json else render(result))
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register `bench` and `eval`."""
    p = sub.add_parser("bench", help="speed next to the bare model and FAISS")
    p.add_argument("--corpus", action="append", default=[])
    p.add_argument("--questions", default=None)
    p.add_argument("--json", action="store_true")
    p.add_argument("--max-passages", type=int, default=1_000_000,
                   help="largest corpus size measured (10k, 100k, 1M are generated)")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("eval", help="score answers on a questions file")
    p.add_argument("questions", nargs="?")
    p.add_argument("--corpus", action="append", default=[])
    p.add_argument("--json", action="store_true")
    p.add_argument("--details", metavar="OUT.jsonl", help="write one JSON line per question")
    p.add_argument("--loco", action="store_true",
                   help="leave-one-corpus-out over every evaluation set (make eval)")
    p.add_argument("--set", action="append", default=[], metavar="QUESTIONS.jsonl:CORPUS_DIR",
                   help="with --loco: the sets (default: the five development corpora)")
    p.add_argument("--write", action="store_true",
                   help="with --loco: fit on every set and write answerability.json")
    p.set_defaults(func=cmd_eval)
