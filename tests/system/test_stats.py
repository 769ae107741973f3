"""`sunbae stats`: the counts, shares, votes with reasons, unanswered groups and latency of a
known ask log, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.cli.stats import run_stats, stats_text
from knowledge.answering.answer import Answer, AnswerKind
from knowledge.core import Sunbae
from knowledge.settings import Settings
from knowledge.store.asklog import AskLog
from knowledge.store.database import Store
from knowledge.store.models import Ask
from tests.conftest import REPO, model_cache

K8S = "쿠버네티스 파드 오토스케일링 설정법?"
PASTA = "How do I cook carbonara pasta at home?"


def answer(question: str, kind: AnswerKind, latency_ms: float) -> Answer:
    """An answer as the core hands it to the log, with a known latency."""
    return Answer(question=question, text="답", kind=kind, confidence=0.5, language="ko",
                  latency_ms=latency_ms)


# (question, outcome, latency in ms) of the asks of the last week, in order.
RECENT: list[tuple[str, AnswerKind, float]] = [
    ("collate_fn 이 뭐야?", "curated", 10.0),
    ("DataLoader collate_fn?", "curated", 20.0),
    ("두런두런 행사 얘기", "passage", 30.0),
    ("Day 8 에 뭐 했어?", "passage", 40.0),
    ("resize centercrop 차이", "passage", 50.0),
    (K8S, "abstain", 60.0),
    ("쿠버네티스 파드 오토스케일링 설정법!!", "abstain", 70.0),
    (PASTA, "abstain", 80.0),
    ("hook 이 뭐야", "passage", 90.0),
    ("wandb sweep?", "passage", 1000.0),
]


@pytest.fixture
def known_log(core: Sunbae, settings: Settings) -> Iterator[list[int]]:
    """Ten asks of the last week, two asked 30 days ago, one in another space, with votes."""
    store = Store(settings.resolved_database_url)
    log = AskLog(store)
    ids = [log.record(answer(q, kind, ms), user="u", channel="c", space="local")
           for q, kind, ms in RECENT]
    old = [log.record(answer("옛날 질문", kind, 5000.0), user="u", channel="c", space="local")
           for kind in ("abstain", "passage")]
    log.record(answer("elsewhere", "abstain", 1.0), user="u", channel="c", space="other")
    with store.session() as session:
        session.execute(update(Ask).where(Ask.id.in_(old))
                        .values(created_at=datetime.now(UTC) - timedelta(days=30)))
    store.close()
    asked = [i for i in ids if i is not None]
    core.vote(asked[0], "a", 1)
    core.vote(asked[1], "a", 1)
    core.vote(asked[2], "a", -1)
    core.explain_vote(asked[2], "a", "wrong_day")
    core.vote(asked[3], "b", -1)
    core.explain_vote(asked[3], "b", "other", "  cites week 1,\nnot week 2 ")
    core.vote(asked[4], "c", -1)  # no reason given
    core.vote(old[1], "d", -1)  # out of the window
    core.explain_vote(old[1], "d", "outdated")
    yield asked


EXPECTED_7_DAYS = {
    "asks": 10,
    "by_kind": {"curated": {"count": 2, "share": 0.2}, "passage": {"count": 5, "share": 0.5},
                "abstain": {"count": 3, "share": 0.3}},
    "votes": {"up": 2, "down": 3},
    "down_reasons": {"not_given": 1, "other": 1, "wrong_day": 1},
    "p50_ms": 50.0,
    "p95_ms": 1000.0,
}


def test_stats_json_counts_the_known_log(core: Sunbae, known_log: list[int]) -> None:
    """Over 7 days: 10 asks by kind with shares, 2 👍 / 3 👎 by reason, p50/p95 latency, and
    the unanswered asks grouped (the two ways of asking about autoscaling are one group)."""
    out = io.StringIO()
    assert run_stats(core, days=7, as_json=True, out=out) == 0
    payload = json.loads(out.getvalue())
    assert set(payload) == {"asks", "by_kind", "votes", "down_reasons", "top_unanswered",
                            "p50_ms", "p95_ms"}
    assert {k: v for k, v in payload.items() if k != "top_unanswered"} == EXPECTED_7_DAYS
    assert payload["top_unanswered"] == [
        {"question": K8S, "count": 2, "ask_ids": [known_log[5], known_log[6]]},
        {"question": PASTA, "count": 1, "ask_ids": [known_log[7]]},
    ]


def test_a_longer_window_takes_the_older_asks_in(core: Sunbae, known_log: list[int]) -> None:
    """Over 60 days the two asks of a month ago count too, and their 👎 with its reason."""
    stats = core.ask_stats(days=60)
    assert (stats.asks, stats.by_kind) == (12, {"curated": 2, "passage": 6, "abstain": 4})
    assert (stats.votes_up, stats.votes_down) == (2, 4)
    assert stats.down_reasons == {"not_given": 1, "other": 1, "outdated": 1, "wrong_day": 1}
    assert stats.p95_ms == 5000.0


def test_stats_text_shows_reasons_and_what_was_written(core: Sunbae,
                                                       known_log: list[int]) -> None:
    """The terminal view names each reason and quotes the "other" text on one line."""
    text = stats_text(core.ask_stats(days=7))
    assert "10 asks" in text and "👍 2 · 👎 3" in text
    assert "wrong day: 1" in text and "“cites week 1, not week 2”" in text
    assert "p50 50 ms · p95 1000 ms" in text and f"2× {K8S}" in text


def test_an_empty_log_has_no_latency(core: Sunbae) -> None:
    """No asks: zero counts, zero shares, and null percentiles (not a made-up 0 ms)."""
    payload = core.ask_stats(days=7).as_json()
    assert payload["asks"] == 0 and payload["p50_ms"] is None and payload["p95_ms"] is None
    assert payload["by_kind"]["abstain"] == {"count": 0, "share": 0.0}


def test_sunbae_stats_json_command(core: Sunbae, settings: Settings,
                                   known_log: list[int]) -> None:
    """`sunbae stats --json --days 7`, run as a user runs it, prints the known log's counts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUNBAE_", "DISCORD_"))}
    env |= {"SUNBAE_DATA_DIR": str(settings.data_dir), "SUNBAE_MODEL_CACHE": str(model_cache()),
            "PYTHONPATH": str(REPO)}
    if settings.database_url:
        env["SUNBAE_DATABASE_URL"] = settings.database_url
    result = subprocess.run([sys.executable, "-m", "bot.cli.main", "stats", "--json",
                             "--days", "7"], capture_output=True, text=True, env=env,
                            cwd=settings.data_dir, timeout=600)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert {k: v for k, v in payload.items() if k != "top_unanswered"} == EXPECTED_7_DAYS
    assert [g["count"] for g in payload["top_unanswered"]] == [2, 1]


def test_maintainers_channel_is_kept_per_space(core: Sunbae) -> None:
    """A space's maintainers' channel is stored, replaced and cleared, and only its own."""
    assert core.maintainers_channel(space="discord:1") is None
    core.set_maintainers_channel("111", space="discord:1")
    core.set_maintainers_channel("222", space="discord:1")
    core.set_maintainers_channel("333", space="discord:2")
    assert core.maintainers_channel(space="discord:1") == "222"
    assert core.maintainers_channel(space="discord:2") == "333"
    core.set_maintainers_channel(None, space="discord:1")
    assert core.maintainers_channel(space="discord:1") is None
    assert core.maintainers_channel(space="discord:2") == "333"


def test_a_reason_needs_a_thumbs_down_of_ones_own(core: Sunbae, known_log: list[int]) -> None:
    """No 👎 of theirs, another space, or an unknown reason: refused, nothing kept."""
    with pytest.raises(KeyError):
        core.explain_vote(known_log[0], "a", "outdated")  # "a" voted 👍 on it
    with pytest.raises(KeyError):
        core.explain_vote(known_log[2], "a", "outdated", space="other")
    with pytest.raises(ValueError):
        core.explain_vote(known_log[2], "a", "because")
    assert core.ask_stats(days=7).down_reasons == EXPECTED_7_DAYS["down_reasons"]


def test_a_thumbs_up_drops_the_reason(core: Sunbae, known_log: list[int]) -> None:
    """Changing a 👎 to 👍 drops its reason (a reason explains a 👎 only)."""
    core.vote(known_log[2], "a", 1)
    core.vote(known_log[2], "a", -1)
    assert core.ask_stats(days=7).down_reasons == {"not_given": 2, "other": 1}
