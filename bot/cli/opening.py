"""Opening the knowledge core for one command, and closing it when the command ends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from knowledge.settings import Settings, get_settings

if TYPE_CHECKING:
    from knowledge.core import Sunbae


@contextmanager
def opened_core(settings: Settings | None = None) -> Iterator[Sunbae]:
    """The core over the configured store, closed (threads stopped, database released) after."""
    # Imported here: the model and index libraries cost seconds `sunbae --help` need not pay.
    from knowledge.core import Sunbae

    core = Sunbae.open(settings or get_settings())
    try:
        yield core
    finally:
        core.close()
