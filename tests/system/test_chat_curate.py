"""`/curate …` in the terminal channel (the same actions as `sunbae curate`), through the facade."""

from __future__ import annotations

import io
from pathlib import Path

from bot.chat import handle_line


def say(core, line: str) -> str:  # type: ignore[no-untyped-def]
    """What the channel prints for one line."""
    out = io.StringIO()
    assert handle_line(core, line, out) is True
    return out.getvalue()


def test_add_edit_show_retire_and_list(core) -> None:  # type: ignore[no-untyped-def]
    """Each action changes the curated answer and `show` lists every saved version."""
    assert "added 'homework'" in say(
        core, '/curate add --question "과제 제출" --answer "LMS에 제출해요." --author kim '
              '--id homework --paraphrase "과제는 어디에 내?"')
    assert "now v2" in say(core, '/curate edit homework --answer "LMS 과제 탭에 제출해요." '
                                 '--author lee')
    shown = say(core, "/curate show homework")
    assert "A: LMS 과제 탭에 제출해요." in shown and "~ 과제는 어디에 내?" in shown
    assert "history v1 added by kim" in shown and "history v2 edited by lee" in shown
    assert "retired 'homework'" in say(core, "/curate retire homework --author lee")
    assert "homework" not in say(core, "/curate list")
    assert "(retired)" in say(core, "/curate list --all")


def test_export_then_import_round_trips(core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Exported files import back unchanged; an unknown slug is an error, not a crash."""
    folder = tmp_path / "curated"
    shipped = say(core, "/curate import")  # without a folder: the answers shipped in the repo
    count = int(shipped.split(",")[0].removeprefix("added "))
    assert count > 0
    assert f"wrote {count} files to {folder}" in say(core, f"/curate export {folder}")
    assert say(core, f"/curate import {folder}").startswith(
        f"added 0, updated 0, unchanged {count}")
    assert "error: no curated answer 'missing'" in say(core, "/curate show missing")


def test_promote_saves_an_answer_and_resolves_the_question(sample_core) -> None:  # type: ignore[no-untyped-def]
    """Promoting an abstention with a maintainer's answer curates it and empties the worklist."""
    ask_id = sample_core.ask("쿠버네티스 파드 오토스케일링은 어떻게 설정해?").ask_id
    assert sample_core.get_ask(ask_id).outcome == "abstain"
    printed = say(sample_core, f'/curate promote {ask_id} --author kim --answer "HPA를 쓰세요."')
    assert f"saved ask {ask_id} as curated" in printed
    assert sample_core.get_ask(ask_id).resolved
    assert sample_core.unanswered() == []
    assert sample_core.ask("쿠버네티스 파드 오토스케일링은 어떻게 설정해?").kind == "curated"


def test_an_unclosed_quote_is_an_error_line_not_a_traceback(core) -> None:  # type: ignore[no-untyped-def]
    """`/ingest "unclosed` says what is wrong and the channel stays open."""
    said = say(core, '/ingest "unclosed')
    assert "No closing quotation" in said and "nothing was stored" in said
    assert "No closing quotation" in say(core, '/curate show "unclosed')
