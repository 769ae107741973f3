"""The `sunbae` command line: the parser and entry point; each group of commands has a module."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from bot.cli import asking, curate, notes, serve, stats, tools
from knowledge.settings import get_settings

log = logging.getLogger("sunbae")

DESCRIPTION = "The `sunbae` command line: ingest, ask, curate, evaluate, chat."


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="sunbae", description=DESCRIPTION)
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    parser.add_argument("--space", metavar="NAME",
                        help="the space to read and write (default: SUNBAE_SPACE, else local)")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in (notes, asking, curate, serve, tools, stats):
        group.add_parsers(sub)
    return parser


def _redact_secrets() -> None:
    """Keep the bot token and the database password out of every log line and warning."""
    from bot.utils.log_redaction import database_secrets, install_redaction
    from knowledge.settings import get_settings

    try:
        settings = get_settings()
    except Exception:  # settings errors are reported by the command that needs them
        install_redaction()
        return
    token = settings.discord_token.get_secret_value() if settings.discord_token else None
    install_redaction([token, *database_secrets(settings.database_url)])


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `sunbae` console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    _redact_secrets()
    from knowledge.errors import StoreUnavailable, SunbaeError
    from knowledge.spaces import BadSpace, ReadOnlySpace, check_space

    if args.space is not None:
        try:
            check_space(args.space)
        except BadSpace as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        # Every command reads the settings: the flag wins over SUNBAE_SPACE for all of them.
        os.environ["SUNBAE_SPACE"] = args.space
        get_settings.cache_clear()

    try:
        return int(args.func(args) or 0)
    except StoreUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        log.info("database unreachable: %s", exc.detail)
        return 3
    except ReadOnlySpace as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SunbaeError as exc:  # a read-only data folder to migrate, a refused file...
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
