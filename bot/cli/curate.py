"""`sunbae curate …` (and `/curate …` in the terminal channel): manage curated answers."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from knowledge.curation.files import load_curated_dir
from knowledge.errors import CuratedFileError, CurationError


def add_curate_parser(sub: argparse._SubParsersAction, func: Callable) -> None:  # type: ignore[type-arg]
    """Register `curate` and its actions on a subparser set."""
    p = sub.add_parser("curate", help="manage curated answers")
    p.set_defaults(func=func)
    actions = p.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add a curated answer")
    add.add_argument("--question", required=True)
    add.add_argument("--answer", required=True)
    add.add_argument("--paraphrase", action="append", default=[])
    add.add_argument("--cite", action="append", default=[], help="e.g. 'week2.md · Day 8'")
    add.add_argument("--author", required=True)
    add.add_argument("--id", default=None)
    lst = actions.add_parser("list", help="list curated answers")
    lst.add_argument("--all", action="store_true", help="include retired ones")
    show = actions.add_parser("show", help="show one, with its history")
    show.add_argument("id")
    edit = actions.add_parser("edit", help="change a curated answer")
    edit.add_argument("id")
    edit.add_argument("--question")
    edit.add_argument("--answer")
    edit.add_argument("--paraphrase", action="append")
    edit.add_argument("--cite", action="append")
    edit.add_argument("--author", required=True)
    retire = actions.add_parser("retire", help="stop using a curated answer")
    retire.add_argument("id")
    retire.add_argument("--author", required=True)
    imp = actions.add_parser("import", help="import curated answer files (default: shipped)")
    imp.add_argument("folder", nargs="?", default=None)
    exp = actions.add_parser("export", help="write curated answers as files")
    exp.add_argument("folder")
    promote = actions.add_parser("promote", help="make a curated answer of a bot answer")
    promote.add_argument("ask_id", type=int)
    promote.add_argument("--author", required=True)
    promote.add_argument("--answer", default=None)


def run_curate(core, args: argparse.Namespace, out: TextIO | None = None) -> int:  # type: ignore[no-untyped-def]
    """Carry out one curate action; errors are printed, not raised."""
    import sys

    out = out or sys.stdout
    cur = core.curation
    try:
        if args.action == "add":
            view = cur.add(question=args.question, answer=args.answer, author=args.author,
                           paraphrases=args.paraphrase, cites=args.cite, slug=args.id)
            print(f"added '{view.slug}'", file=out)
        elif args.action == "list":
            for view in cur.list(include_retired=args.all):
                state = "" if view.active else " (retired)"
                print(f"{view.slug:32} v{view.version} {view.question}{state}", file=out)
        elif args.action == "show":
            view = cur.get(args.id)
            print(f"{view.slug} (v{view.version}, by {view.author}"
                  f"{', retired' if not view.active else ''})", file=out)
            print(f"Q: {view.question}", file=out)
            for phrase in view.paraphrases:
                print(f"   ~ {phrase}", file=out)
            print(f"A: {view.answer}", file=out)
            for cite in view.cites:
                print(f"   cites {cite}", file=out)
            for version in cur.history(args.id):
                print(f"   history v{version.version} {version.note} by {version.author} "
                      f"at {version.saved_at:%Y-%m-%d %H:%M}", file=out)
        elif args.action == "edit":
            view = cur.edit(args.id, author=args.author, question=args.question,
                            answer=args.answer, paraphrases=args.paraphrase, cites=args.cite)
            print(f"edited '{view.slug}' (now v{view.version})", file=out)
        elif args.action == "retire":
            view = cur.retire(args.id, author=args.author)
            print(f"retired '{view.slug}'", file=out)
        elif args.action == "import":
            if args.folder:
                report = cur.import_files(load_curated_dir(Path(args.folder)))
            else:
                report = core.load_shipped_curated()
            print(", ".join(f"{k} {len(v)}" for k, v in report.items()), file=out)
        elif args.action == "export":
            written = cur.export_dir(Path(args.folder))
            print(f"wrote {len(written)} files to {args.folder}", file=out)
        elif args.action == "promote":
            view = cur.promote(args.ask_id, author=args.author, answer=args.answer)
            print(f"saved ask {args.ask_id} as curated '{view.slug}'", file=out)
    except (CurationError, CuratedFileError) as exc:
        print(f"error: {exc}", file=out)
        return 1
    return 0
