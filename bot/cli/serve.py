"""`sunbae serve`: the Discord bot and/or the Slack app over the configured store (imports the
chat libraries only when run)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.cli.opening import opened_core
from knowledge.settings import Settings, get_settings

if TYPE_CHECKING:
    from knowledge.core import Sunbae


def run_transports(core: Sunbae, settings: Settings, *, slack: bool, discord: bool) -> int:
    """Run the chosen transports: Slack on its own thread when Discord holds the main one."""
    from bot.settings import SlackSettings
    from bot.slack.running import run_slack, start_slack_thread

    if slack and discord:
        from bot.discord_app import run_bot

        start_slack_thread(core, SlackSettings())
        return run_bot(core, settings)
    if slack:
        return run_slack(core, SlackSettings())
    from bot.discord_app import run_bot

    return run_bot(core, settings)


def cmd_serve(args: argparse.Namespace) -> int:
    """Open the core, optionally load the sample journal and curated answers, run the bot(s)."""
    settings = get_settings()
    discord = not args.slack or settings.discord_token is not None
    if args.slack:
        from bot.settings import SlackSettings
        from bot.slack.running import MISSING_TOKENS

        if not SlackSettings().configured:
            print(MISSING_TOKENS, file=sys.stderr)
            return 2
    elif settings.discord_token is None:
        print("error: set DISCORD_TOKEN (environment or .env) to run the Discord bot",
              file=sys.stderr)
        return 2

    with opened_core(settings) as core:
        if args.sample:
            report = core.load_shipped_sample()
            print(f"sample journal: {report.summary()}", file=sys.stderr)
        if args.load_curated:
            curated = core.load_shipped_curated()
            print("curated answers: " + ", ".join(f"{k} {len(v)}" for k, v in curated.items()),
                  file=sys.stderr)
        return run_transports(core, settings, slack=args.slack, discord=discord)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register `sunbae serve` on the CLI's subcommands."""
    p = sub.add_parser("serve", help="run the Discord bot (DISCORD_TOKEN) or, with --slack, "
                                     "the Slack app (SLACK_BOT_TOKEN, SLACK_APP_TOKEN)")
    p.add_argument("--sample", action="store_true", help="ingest the sample journal first")
    p.add_argument("--load-curated", action="store_true",
                   help="import the curated answers shipped in the repo first")
    p.add_argument("--slack", action="store_true",
                   help="run the Slack app (and the Discord bot too when DISCORD_TOKEN is set)")
    p.set_defaults(func=cmd_serve)
