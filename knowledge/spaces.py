"""Spaces: whose knowledge a note, question or curated answer is, and what a space sees."""

from __future__ import annotations

import re
from pathlib import Path

from knowledge.errors import SunbaeError

LOCAL = "local"  # the CLI and the terminal channel
SHARED = "shared"  # what ships (curated answers, the sample journal): read-only, seen by all

_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}(?::[A-Za-z0-9_-]{1,64})?$")


class BadSpace(SunbaeError):
    """A space name that is not `word` or `word:id`."""


def check_space(name: str) -> str:
    """A valid space name as given (`local`, `a`, `discord:123`), else BadSpace."""
    if not _NAME.match(name):
        raise BadSpace(f"bad space name {name!r}: expected a word or 'kind:id' "
                       "(e.g. local, discord:1234)")
    return name


def discord_space(guild_id: int) -> str:
    """The space of a Discord server."""
    return f"discord:{guild_id}"


def seen_spaces(space: str, *, see_shared: bool) -> tuple[str, ...]:
    """The spaces a question asked in `space` draws on: its own first, then the shared one."""
    return (space, SHARED) if see_shared and space != SHARED else (space,)


def acting_space(configured: str, given: str | None) -> str:
    """The space a call acts in: the one given, else the configured one (SUNBAE_SPACE)."""
    return check_space(configured if given is None else given)


def writable_space(configured: str, given: str | None) -> str:
    """The space a change is made in; the shared space only changes by shipping."""
    space = acting_space(configured, given)
    if space == SHARED:
        raise ReadOnlySpace("the shared space is read-only: it holds what ships with Sunbae")
    return space


def shipped_sample_dir() -> Path:
    """The bundled sample journal (the week-2 journal Sunbae was designed from)."""
    return Path(__file__).parent / "resources" / "sample"


# How a space answers "do you see the shared space?": on, off, or back to SUNBAE_SEE_SHARED.
SEE_SHARED_CHOICES: dict[str, bool | None] = {"on": True, "off": False, "default": None}


def shipped_sample_key(file_name: str) -> str:
    """The source key the shipped sample's file `file_name` is stored under: what a shipped
    curated answer's `week2.md · Day 8` names (no camper's note can have it)."""
    return str((shipped_sample_dir() / Path(file_name).name).resolve())


class ReadOnlySpace(SunbaeError):
    """A change asked of the shared space, which only changes by shipping."""
