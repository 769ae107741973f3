"""`sunbae chat`: a local channel in the terminal, the bot's embedded default."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TextIO

from bot.cli.curate import add_curate_parser, run_curate
from bot.cli.formatting import render_answer, terminal_text
from knowledge.core import Sunbae
from knowledge.errors import EmptyQuestion, StoreUnavailable, UnreadableNote

HELP = """Sunbae (선배) — ask a question about the journals, or:
  /ingest PATH...         add or update notes (files or folders)
  /curate list|show|add|edit|retire|import|export|promote ...   (see /curate --help)
  /unanswered             questions Sunbae could not answer yet
  /help                   this text
  /quit                   leave (end of input works too)"""


class _ChatParser(argparse.ArgumentParser):
    """An argument parser that reports errors instead of exiting the chat."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise ValueError(message)


def _curate_parser() -> argparse.ArgumentParser:
    parser = _ChatParser(prog="/curate", add_help=True)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_ChatParser)
    add_curate_parser(sub, lambda _args: 0)
    return parser


def handle_line(core: Sunbae, line: str, out: TextIO) -> bool:
    """Handle one line of the channel; False when the user asked to leave."""
    try:
        return _handle_line(core, line, out)
    except StoreUnavailable as exc:
        # The channel stays open: the database may be back for the next line.
        print(str(exc), file=out)
        return True


def _handle_line(core: Sunbae, line: str, out: TextIO) -> bool:
    line = line.strip()
    if not line:
        return True
    if line in {"/quit", "/exit"}:
        return False
    if line == "/help":
        print(HELP, file=out)
    elif line.startswith("/ingest"):
        try:
            paths = [Path(p) for p in shlex.split(line)[1:]]
        except ValueError as exc:  # an unclosed quote: say so, keep the channel open
            print(f"error: {exc}; nothing was stored. usage: /ingest PATH...", file=out)
            return True
        if not paths:
            print("usage: /ingest PATH...", file=out)
            return True
        try:
            report = core.ingest_paths(paths, author="chat")
            print(report.summary(), file=out)
        except UnreadableNote as exc:
            print(f"error: {exc} — nothing was stored.", file=out)
    elif line.startswith("/curate"):
        try:
            args = _curate_parser().parse_args(["curate", *shlex.split(line)[1:]])
        except (ValueError, SystemExit) as exc:
            print(f"error: {exc}. Try /curate --help", file=out)
            return True
        run_curate(core, args, out)
    elif line == "/unanswered":
        groups = core.unanswered()
        if not groups:
            print("No unanswered questions.", file=out)
        for group in groups:
            print(f"{group.count}× {terminal_text(group.question, one_line=True)}", file=out)
    elif line.startswith("/"):
        print(f"unknown command {line.split()[0]}; try /help", file=out)
    else:
        try:
            answer = core.ask(line, user="chat", channel="terminal")
        except EmptyQuestion as exc:
            print(str(exc), file=out)
            return True
        print(render_answer(answer), file=out)
    return True


def run_chat(core: Sunbae, stdin: TextIO, stdout: TextIO) -> int:
    """Read questions a line at a time until /quit or end of input; exit status 0."""
    interactive = stdin.isatty()
    core.follow()  # notes another process ingests are answered here without a restart
    if interactive:
        print(HELP, file=stdout)
    while True:
        if interactive:
            print("\n선배> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            break
        if not handle_line(core, line, stdout):
            break
        if not interactive:
            print("", file=stdout)
        stdout.flush()
    return 0
