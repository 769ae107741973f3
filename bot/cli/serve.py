"""`sunbae serve`: the Discord bot over the configured store (imports discord only when run)."""

from __future__ import annotations

import argparse
import sys

from bot.cli.opening import opened_core
from knowledge.settings import get_settings


def cmd_serve(args: argparse.Namespace) -> int:
    """Open the core, optionally load the sample journal and curated answers, run the bot."""
    settings = get_settings()
    if settings.discord_token is None:
        print("error: set DISCORD_TOKEN (environment or .env) to run the Discord bot",
              file=sys.stderr)
        return 2
    from bot.discord_app import run_bot

    with opened_core(settings) as core:
        if args.sample:
            report = core.load_shipped_sample()
            print(f"sample journal: {report.summary()}", file=sys.stderr)
        if args.load_curated:
            curated = core.load_shipped_curated()
            print("curated answers: " + ", ".join(f"{k} {len(v)}" for k, v in curated.items()),
                  file=sys.stderr)
        return run_bot(core, settings)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register `sunbae serve` on the CLI's subcommands."""
    p = sub.add_parser("serve", help="run the Discord bot (needs DISCORD_TOKEN)")
    p.add_argument("--sample", action="store_true", help="ingest the sample journal first")
    p.add_argument("--load-curated", action="store_true",
                   help="import the curated answers shipped in the repo first")
    p.set_defaults(func=cmd_serve)
