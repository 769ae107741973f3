"""`sunbae curate promote` closes the loop for a whole group: alike unanswered questions are
answered with the promoted one, and `--cite` edits the cited days (a missing day is refused)."""

from __future__ import annotations

import io

from bot.cli.curate import run_curate
from bot.cli.main import build_parser
from knowledge.core import Sunbae

ALIKE = ["쿠버네티스 파드 오토스케일링은 어떻게 설정해?",
         "쿠버네티스에서 파드 오토스케일링 설정하는 방법 알려줘"]
ANSWER = "HPA(Horizontal Pod Autoscaler)를 쓰세요."


def abstentions(core: Sunbae) -> list[int]:
    """The two alike questions asked and not answered (an unreachable threshold)."""
    core.load_shipped_sample()
    core.settings.answer_threshold = 1.01
    ids = []
    for question in ALIKE:
        answer = core.ask(question, user="camper")
        assert answer.kind == "abstain" and answer.ask_id is not None
        ids.append(answer.ask_id)
    core.settings.answer_threshold = 0.0
    return ids


def promote(core: Sunbae, *args: str) -> tuple[int, str]:
    """Run `sunbae curate promote ARGS` on the core; (status, what it printed)."""
    out = io.StringIO()
    parsed = build_parser().parse_args(["curate", "promote", *args])
    return run_curate(core, parsed, out), out.getvalue()


def test_promote_answers_the_alike_questions_too(core: Sunbae) -> None:
    """Promoting one of two alike abstentions takes both off the unanswered list."""
    first, second = abstentions(core)
    status, printed = promote(core, str(first), "--author", "m", "--answer", ANSWER)
    assert status == 0 and f"(and 1 alike: asks {second})" in printed
    assert core.unanswered() == []


def test_promote_with_edited_days_cites_them(core: Sunbae) -> None:
    """`--cite` replaces the ask's cited days; the next question gets them."""
    first, _ = abstentions(core)
    status, printed = promote(core, str(first), "--author", "m", "--answer", ANSWER,
                              "--cite", "week2.md · Day 9")
    assert status == 0 and "cites: week2.md · Day 9" in printed
    again = core.ask(ALIKE[0])
    assert again.kind == "curated"
    assert [c.day for c in again.citations][:1] == ["Day 9"]


def test_promote_refuses_a_day_no_note_holds(core: Sunbae) -> None:
    """A cite of a day that is not in the store is named in the error and nothing is saved."""
    first, _ = abstentions(core)
    status, printed = promote(core, str(first), "--author", "m", "--answer", ANSWER,
                              "--cite", "week2.md · Day 99")
    assert status != 0 and "week2.md · Day 99" in printed
    assert core.ask(ALIKE[0], record=False).kind != "curated"
    assert len(core.unanswered()) == 1 and core.unanswered()[0].count == 2
