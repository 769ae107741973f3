"""Errors a user can cause (bad notes, questions, curation requests) or must wait out.

Every one derives from `SunbaeError`, so a transport can show any of them as a plain message;
each keeps its older base (ValueError, RuntimeError) so existing `except ValueError` still works.
"""

from __future__ import annotations


class SunbaeError(Exception):
    """An error to show the user as it is: the message says what went wrong and what to do."""


class UnreadableNote(SunbaeError, ValueError):
    """A file Sunbae cannot take as a note; the message says which and why."""


class NoteTaken(UnreadableNote):
    """Notes another author stored under the same name (perhaps a moment ago): not replaced."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(
            f"{', '.join(names)}: another person's note already has this name; "
            "pick another name (only its author or a maintainer may replace it)"
        )
        self.names = names


class EmptyQuestion(SunbaeError, ValueError):
    """A question with nothing to search for."""


class CuratedFileError(SunbaeError, ValueError):
    """A curated answer file is malformed; the message names the file and the problem."""


class CurationError(SunbaeError, ValueError):
    """A curation request that cannot be carried out; the message says why."""


class StoreUnavailable(SunbaeError, RuntimeError):
    """The database cannot be reached right now (a server outage, a restart): retry later."""

    MESSAGE = "잠시 후 다시 시도해 주세요 — the notes database is unreachable; try again shortly."

    def __init__(self, detail: str = "") -> None:
        super().__init__(self.MESSAGE)
        self.detail = detail
