"""Chat uploads: a per-person cooldown and a bytes-per-hour quota per space, counted in the
database (SQLite and PostgreSQL), so a restart or a second process agrees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from index.embedder import Embedder
from knowledge.core import Sunbae
from knowledge.settings import Settings

START = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def limited(settings: Settings, *, cooldown: float = 30, per_hour: int = 1000) -> Settings:
    """The test settings with upload limits small enough to reach."""
    return settings.model_copy(update={"ingest_cooldown_s": cooldown,
                                       "ingest_bytes_per_hour": per_hour})


def open_core(settings: Settings, embedder: Embedder) -> Sunbae:
    """A core over the test's store."""
    return Sunbae.open(settings, embedder=embedder)


def test_second_upload_within_the_cooldown_waits(settings: Settings, embedder: Embedder) -> None:
    """The same person uploading again 10 s later is told to wait the 20 s left."""
    core = open_core(limited(settings), embedder)
    try:
        assert core.reserve_upload(10, user="u1", space="a", now=START).allowed
        again = core.reserve_upload(10, user="u1", space="a", now=START + timedelta(seconds=10))
        assert (again.allowed, again.reason) == (False, "cooldown")
        assert again.retry_after_s == 20
        later = START + timedelta(seconds=31)
        assert core.reserve_upload(10, user="u1", space="a", now=later).allowed
    finally:
        core.close()


def test_cooldown_is_per_person_and_can_be_skipped(settings: Settings,
                                                   embedder: Embedder) -> None:
    """Another person is not held by someone else's cooldown; a maintainer skips it."""
    core = open_core(limited(settings), embedder)
    try:
        assert core.reserve_upload(10, user="u1", space="a", now=START).allowed
        assert core.reserve_upload(10, user="u2", space="a", now=START).allowed
        assert core.reserve_upload(10, user="u1", space="a", now=START,
                                   with_cooldown=False).allowed
    finally:
        core.close()


def test_space_quota_refuses_and_says_when_room_frees(settings: Settings,
                                                      embedder: Embedder) -> None:
    """600 + 300 bytes fit an hourly 1000; 200 more wait until the first 600 age out."""
    core = open_core(limited(settings, cooldown=0), embedder)
    try:
        assert core.reserve_upload(600, user="u1", space="a", now=START).allowed
        ten = START + timedelta(minutes=10)
        assert core.reserve_upload(300, user="u2", space="a", now=ten).allowed
        held = core.reserve_upload(200, user="u3", space="a", now=ten + timedelta(minutes=5))
        assert (held.allowed, held.reason) == (False, "quota")
        assert held.retry_after_s == 45 * 60
        assert core.reserve_upload(200, user="u3", space="b", now=ten).allowed  # its own quota
        after = START + timedelta(minutes=61)
        assert core.reserve_upload(200, user="u3", space="a", now=after).allowed
    finally:
        core.close()


def test_more_than_an_hour_of_quota_is_refused_outright(settings: Settings,
                                                        embedder: Embedder) -> None:
    """An upload bigger than the whole hourly quota can never fit: 'too big', nothing kept."""
    core = open_core(limited(settings), embedder)
    try:
        refused = core.reserve_upload(1001, user="u1", space="a", now=START)
        assert (refused.allowed, refused.reason) == (False, "too_big")
        assert core.reserve_upload(1000, user="u1", space="a", now=START).allowed
    finally:
        core.close()


def test_released_upload_neither_counts_nor_starts_the_cooldown(settings: Settings,
                                                                embedder: Embedder) -> None:
    """An upload that stored nothing is given back."""
    core = open_core(limited(settings), embedder)
    try:
        first = core.reserve_upload(900, user="u1", space="a", now=START)
        core.release_upload(first, space="a")
        assert core.reserve_upload(900, user="u1", space="a", now=START).allowed
    finally:
        core.close()


def test_usage_survives_a_restart_and_is_shared_by_processes(settings: Settings,
                                                             embedder: Embedder) -> None:
    """Two cores on one database (two processes, or before and after a restart) agree."""
    first = open_core(limited(settings), embedder)
    second = open_core(limited(settings), embedder)
    try:
        assert first.reserve_upload(800, user="u1", space="a", now=START).allowed
        held = second.reserve_upload(300, user="u2", space="a", now=START)
        assert held.reason == "quota"
        assert second.reserve_upload(10, user="u1", space="a", now=START).reason == "cooldown"
    finally:
        first.close()
        second.close()
