"""`sunbae curate …` (and `/curate …` in the terminal channel), `sunbae load-curated`."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.cli.formatting import terminal_text
from bot.cli.opening import opened_core
from knowledge.errors import CuratedFileError, CurationError
from knowledge.spaces import SEE_SHARED_CHOICES
from knowledge.text.cleaning import strip_controls

if TYPE_CHECKING:
    from knowledge.core import Sunbae


AUTHOR_HELP = "who the change is recorded as (default: this computer's user name)"


def local_author() -> str:
    """Who a command-line change is by when --author is not given: the login name."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment (a bare container)
        return "maintainer"


def add_curate_parser(sub: argparse._SubParsersAction, func: Callable) -> None:
    """Register `curate` and its actions on a subparser set."""
    p = sub.add_parser("curate", help="manage curated answers")
    p.set_defaults(func=func)
    actions = p.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add a curated answer")
    add.add_argument("--question", required=True)
    add.add_argument("--answer", required=True)
    add.add_argument("--paraphrase", action="append", default=[])
    add.add_argument("--cite", action="append", default=[], help="e.g. 'week2.md · Day 8'")
    add.add_argument("--author", default=None, help=AUTHOR_HELP)
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
    edit.add_argument("--author", default=None, help=AUTHOR_HELP)
    retire = actions.add_parser("retire", help="stop using a curated answer")
    retire.add_argument("id")
    retire.add_argument("--author", default=None, help=AUTHOR_HELP)
    imp = actions.add_parser("import", help="import curated answer files (default: shipped)")
    imp.add_argument("folder", nargs="?", default=None)
    exp = actions.add_parser("export", help="write curated answers as files")
    exp.add_argument("folder")
    promote = actions.add_parser("promote", help="make a curated answer of a bot answer")
    promote.add_argument("ask_id", type=int)
    promote.add_argument("--author", default=None, help=AUTHOR_HELP)
    promote.add_argument("--answer", default=None)
    promote.add_argument("--cite", action="append", default=None,
                         help="the days to cite instead of the ask's ('week2.md · Day 8')")
    shared = actions.add_parser("shared", help="whether this space sees the shipped curated "
                                "answers (nothing: say which)")
    shared.add_argument("choice", nargs="?", choices=sorted(SEE_SHARED_CHOICES))


def run_curate(core: Sunbae, args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Carry out one curate action; errors are printed, not raised."""
    out = out or sys.stdout
    if hasattr(args, "author") and not args.author:
        args.author = local_author()
    try:
        _CURATE_ACTIONS[args.action](core, args, out)
    except (CurationError, CuratedFileError) as exc:
        print(f"error: {exc}", file=out)
        return 1
    return 0


def _add(core: Sunbae, args: argparse.Namespace, out: TextIO) -> None:
    view = core.add_curated(question=args.question, answer=args.answer, author=args.author,
                            paraphrases=args.paraphrase, cites=args.cite, slug=args.id)
    print(f"added '{view.slug}'", file=out)


def _list(core: Sunbae, args: argparse.Namespace, out: TextIO) -> None:
    for view in core.list_curated(include_retired=args.all):
        state = "" if view.active else " (retired)"
        question = strip_controls(view.question, keep_newlines=False)
        print(f"{view.slug:32} v{view.version} {question}{state}", file=out)


def _show(core: Sunbae, args: argparse.Namespace, out: TextIO) -> None:
    view = core.get_curated(args.id)
    print(f"{view.slug} (v{view.version}, by {view.author}"
          f"{', retired' if not view.active else ''})", file=out)
    # A promoted question or a phrasing came from a camper: no escapes reach the terminal.
    print(f"Q: {strip_controls(view.question, keep_newlines=False)}", file=out)
    for phrase in view.paraphrases:
        print(f"   ~ {strip_controls(phrase, keep_newlines=False)}", file=out)
    print(f"A: {strip_controls(view.answer)}", file=out)
    for cite in view.cites:
        print(f"   cites {cite}", file=out)
    for version in core.curated_history(args.id):
        print(f"   history v{version.version} {version.note} by {version.author} "
              f"at {version.saved_at:%Y-%m-%d %H:%M}", file=out)


def _edit(core: Sunbae, args: argparse.Namespace, out: TextIO) -> None:
    view = core.edit_curated(args.id, author=args.author, question=args.question,
                             answer=args.answer, paraphrases=args.paraphrase, cites=args.cite)
    print(f"edited '{view.slug}' (now v{view.version})", file=out)


def _retire(core: Sunbae, args: argparse.Namespace, out: TextIO) -> None:
    view = core.retire_curated(args.id, author=args.author)
    print(f"retired '{view.slug}'", file=out)


def _import(core: Sunbae, args: argparse.Namespace, out: TextIO) -> None:
    # Without a folder: the answers shipped in the repo.
    report = (core.import_curated(Path(args.folder)) if args.folder
              else core.load_shipped_curated())
    print(", ".join(f"{k} {len(v)}" for k, v in report.items()), file=out)


def _export(core: Sunbae, args: argparse.Namespace, out: TextIO) -> None:
    written = core.export_curated(Path(args.folder))
    print(f"wrote {len(written)} files to {args.folder}", file=out)


def _promote(core: Sunbae, args: argparse.Namespace, out: TextIO) -> None:
    # An unanswered question's alike asks are answered with it (as "Answer this" does).
    alike = core.alike_unanswered(args.ask_id)[1:]
    if args.cite is None:
        view = core.promote(args.ask_id, author=args.author, answer=args.answer)
    else:
        view = core.promote_citing(args.ask_id, author=args.author, answer=args.answer,
                                   cites=args.cite)
    core.resolve(alike)
    also = f" (and {len(alike)} alike: asks {', '.join(map(str, alike))})" if alike else ""
    print(f"saved ask {args.ask_id} as curated '{view.slug}'{also}", file=out)
    if view.cites:
        print("cites: " + "; ".join(terminal_text(c, one_line=True) for c in view.cites),
              file=out)


def _shared(core: Sunbae, args: argparse.Namespace, out: TextIO) -> None:
    if args.choice is not None:
        core.set_sees_shared(SEE_SHARED_CHOICES[args.choice])
    seen = "sees" if core.sees_shared() else "does not see"
    print(f"this space {seen} the shipped curated answers", file=out)


_CURATE_ACTIONS: dict[str, Callable[[Sunbae, argparse.Namespace, TextIO], None]] = {
    "add": _add, "list": _list, "show": _show, "edit": _edit, "retire": _retire,
    "import": _import, "export": _export, "promote": _promote, "shared": _shared,
}


def cmd_curate(args: argparse.Namespace) -> int:
    """`sunbae curate ACTION …` over the configured store."""
    with opened_core() as core:
        return run_curate(core, args)


def cmd_load_curated(_args: argparse.Namespace) -> int:
    """Import the curated answers shipped in the repo."""
    with opened_core() as core:
        report = core.load_shipped_curated()
    print(", ".join(f"{k} {len(v)}" for k, v in report.items()))
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register `curate` (with its actions) and `load-curated`."""
    add_curate_parser(sub, cmd_curate)
    p = sub.add_parser("load-curated", help="import the curated answers shipped in the repo")
    p.set_defaults(func=cmd_load_curated)
