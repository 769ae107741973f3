"""`sunbae ask`, `unanswered`, `chat` and `start`: questions, from one to a whole channel."""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli.opening import opened_core
from knowledge.settings import get_settings


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer one question, as text or as JSON."""
    from bot.cli.formatting import render_answer
    from knowledge.errors import EmptyQuestion

    with opened_core() as core:
        try:
            answer = core.ask(args.question, user=args.user, max_citations=args.citations)
        except EmptyQuestion as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_answer(answer))
    return 0


def cmd_unanswered(args: argparse.Namespace) -> int:
    """The questions Sunbae could not answer, alike ones grouped, most asked first."""
    from bot.cli.formatting import terminal_text

    with opened_core() as core:
        groups = core.unanswered(limit=args.limit)
    if not groups:
        print("No unanswered questions.")
    for group in groups:
        ids = ",".join(str(i) for i in group.ask_ids)
        print(f"{group.count}× {terminal_text(group.question, one_line=True)}  (asks {ids})")
    return 0


def cmd_chat(_args: argparse.Namespace) -> int:
    """The local channel in the terminal."""
    from bot.chat import run_chat

    with opened_core() as core:
        return run_chat(core, sys.stdin, sys.stdout)


def cmd_start(_args: argparse.Namespace) -> int:
    """`make run`: load the sample journal and curated answers, then open a channel."""

    settings = get_settings()
    with opened_core(settings) as core:
        report = core.load_shipped_sample()
        curated = core.load_shipped_curated()
        print(f"sample journal: {report.summary()}; curated answers: "
              + ", ".join(f"{k} {len(v)}" for k, v in curated.items()), file=sys.stderr)
        from bot.settings import SlackSettings

        if SlackSettings().configured:
            from bot.cli.serve import run_transports

            return run_transports(core, settings, slack=True,
                                  discord=settings.discord_token is not None)
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


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register `ask`, `unanswered`, `chat` and `start`."""
    p = sub.add_parser("ask", help="ask one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true")
    p.add_argument("--user", default="cli")
    p.add_argument("--citations", type=int, default=None)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("unanswered", help="questions Sunbae could not answer")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_unanswered)

    p = sub.add_parser("chat", help="a local channel in the terminal")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("start", help="sample journal + curated answers, then chat (make run)")
    p.set_defaults(func=cmd_start)
