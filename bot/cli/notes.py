"""`sunbae ingest`, `reindex` and `doctor`: the notes, the index that follows them, its health."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cli.opening import opened_core
from knowledge.settings import get_settings


def progress_bar(label: str):
    """A progress callback (done, total) drawing a bar on stderr."""
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
    """Ingest files and folders (each file checked against SUNBAE_ALLOWED_ROOT first)."""
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
    with opened_core(settings) as core:
        try:
            report = core.ingest_paths(paths, author=args.author,
                                       progress=progress_bar("embedding"))
        except UnreadableNote as exc:
            print(f"error: {exc}\nnothing was stored.", file=sys.stderr)
            return 1
    print(report.summary())
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    """Rebuild the search index from the vectors stored in the database; with --re-embed,
    first embed again every vector another embedder (or variant) made."""
    if args.re_embed:
        from knowledge.reembedding import re_embed_store

        passages, phrases = re_embed_store(get_settings(),
                                           progress=progress_bar("re-embedding"))
        print(f"re-embedded: {passages} passages, {phrases} curated phrasings")
    with opened_core() as core:
        indexed = core.rebuild_index()
    print(f"index rebuilt: {indexed} passages")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    """Check (and with --repair rebuild) the agreement of database, vectors and index."""
    from knowledge.doctor import examine, repair

    settings = get_settings()
    findings = repair(settings) if args.repair else examine(settings)
    for finding in findings:
        print(f"{'ok ' if finding.ok else 'BAD'} {finding.part}: {finding.detail}")
    return 0 if all(f.ok for f in findings) else 1


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register `ingest`, `reindex` and `doctor`."""
    p = sub.add_parser("ingest", help="ingest note files and folders")
    p.add_argument("paths", nargs="+")
    p.add_argument("--author", default=None)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("reindex", help="rebuild the search index from stored vectors")
    p.add_argument("--re-embed", action="store_true",
                   help="first embed again the vectors another embedder or variant made")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("doctor", help="check that database, vectors and index agree")
    p.add_argument("--repair", action="store_true", help="rebuild what disagrees")
    p.set_defaults(func=cmd_doctor)
