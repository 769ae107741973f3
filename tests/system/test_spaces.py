"""Spaces: one space's notes, asks and curated answers are never another's (real core, both
databases)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from knowledge.answering.answerer import DISCUSSED
from knowledge.core import Sunbae
from knowledge.errors import CurationError
from knowledge.settings import Settings
from knowledge.spaces import SHARED, ReadOnlySpace
from knowledge.store.database import Store, make_engine
from knowledge.store.models import Ask, CuratedAnswer, Source
from knowledge.store.schema import alembic_config
from knowledge.views import NoteFile
from tests.conftest import SAMPLE, model_cache

HPA_NOTE = (
    "# Week 1\n\n## Day 1 (11/01)\n"
    "쿠버네티스 HPA는 파드 오토스케일링을 CPU 사용률 목표로 설정한다. "
    "kubectl autoscale deployment 명령으로 최소와 최대 파드 수를 정했다.\n"
)
HPA_QUESTION = "쿠버네티스 파드 오토스케일링은 어떻게 설정해?"
COLLATE_QUESTION = "DataLoader의 collate_fn은 무엇을 하나요?"


def hpa_note(key: str = "hpa.md") -> NoteFile:
    """A camper's note on a subject the sample journal never mentions."""
    return NoteFile(key=key, display=key, text=HPA_NOTE, author="camper")


def test_a_note_is_searched_only_in_its_own_space(core: Sunbae) -> None:
    """Space b's questions never rank, cite or show space a's note; space a's do."""
    core.ingest_notes([hpa_note()], space="a")
    in_a = core.ask(HPA_QUESTION, space="a", record=False)
    in_b = core.ask(HPA_QUESTION, space="b", record=False)
    mine = set(in_a.ranked_section_ids)
    assert mine, "space a ranks its own note"
    assert not mine & set(in_b.ranked_section_ids)
    assert all(not c.source.endswith("hpa.md") for c in in_b.citations)
    assert core.sections_of_day("Day 1", space="a")
    assert core.sections_of_day("Day 1", space="b") == []


def test_the_same_key_in_two_spaces_is_two_notes(core: Sunbae) -> None:
    """Two spaces may each hold a note of one name; removing one leaves the other."""
    core.ingest_notes([hpa_note()], space="a")
    core.ingest_notes([hpa_note()], space="b")
    assert core.remove_source("hpa.md", space="a")
    assert not core.source_exists("hpa.md", space="a")
    assert core.source_exists("hpa.md", space="b")
    assert core.stats(space="b").sources == 1 and core.stats(space="a").sources == 0


def test_asks_votes_and_unanswered_stay_in_their_space(core: Sunbae) -> None:
    """An ask of space a cannot be read, voted on, promoted or resolved from space b."""
    core.settings.answer_threshold = 1.01  # every question abstains: a known worklist
    asked = core.ask(HPA_QUESTION, space="a").ask_id
    assert asked is not None
    assert core.get_ask(asked, space="b") is None
    with pytest.raises(KeyError):
        core.vote(asked, "discord:9", 1, space="b")
    assert core.votes(asked, space="a") == (0, 0)
    with pytest.raises(CurationError):
        core.promote(asked, author="b-admin", answer="HPA를 쓰세요.", space="b")
    core.resolve([asked], space="b")
    assert core.unanswered(space="b") == []
    assert [g.ask_ids for g in core.unanswered(space="a")] == [[asked]]
    assert core.stats(space="a").asks == 1 and core.stats(space="b").asks == 0


def test_retiring_a_shared_answer_in_one_space_leaves_the_others(core: Sunbae) -> None:
    """A space retires the shipped answer for itself only; other spaces still get it."""
    core.load_shipped_curated()
    core.retire_curated("collate-fn", author="b-admin", space="b")
    assert core.ask(COLLATE_QUESTION, space="b", record=False).kind != "curated"
    assert core.ask(COLLATE_QUESTION, space="a", record=False).curated_slug == "collate-fn"
    assert core.get_curated("collate-fn", space="a").active
    assert not core.get_curated("collate-fn", space="b").active


def test_a_space_curated_answer_is_not_seen_elsewhere(core: Sunbae) -> None:
    """A curated answer added in space a never answers space b's question."""
    core.add_curated(question=HPA_QUESTION, answer="HPA를 쓰세요.", author="a-admin", space="a")
    assert core.ask(HPA_QUESTION, space="a", record=False).kind == "curated"
    assert core.ask(HPA_QUESTION, space="b", record=False).kind != "curated"
    assert [v.slug for v in core.list_curated(space="b")] == []


def test_the_shared_space_is_read_only(core: Sunbae) -> None:
    """Notes and curated answers cannot be written into the shared space by a caller."""
    with pytest.raises(ReadOnlySpace):
        core.ingest_notes([hpa_note()], space=SHARED)
    with pytest.raises(ReadOnlySpace):
        core.add_curated(question="q?", answer="a", author="x", space=SHARED)


def test_the_shared_space_can_be_turned_off(core: Sunbae) -> None:
    """With see_shared off, the shipped curated answers answer nobody."""
    core.load_shipped_curated()
    core.settings.see_shared = False
    assert core.ask(COLLATE_QUESTION, space="a", record=False).kind != "curated"


def test_one_space_turns_the_shared_space_off_for_itself(core: Sunbae,
                                                          settings: Settings) -> None:
    """Space a turns the shipped curated answers off: a no longer gets them, b still does,
    another process (and a restart) follows the stored choice, and `default` gives a the
    deployment's setting back."""
    core.load_shipped_curated()
    assert core.sees_shared(space="a") and core.sees_shared(space="b")
    core.set_sees_shared(False, space="a")
    assert core.ask(COLLATE_QUESTION, space="a", record=False).kind != "curated"
    assert core.ask(COLLATE_QUESTION, space="b", record=False).kind == "curated"

    other = Sunbae.open(settings, embedder=core._embedder)
    try:
        assert not other.sees_shared(space="a") and other.sees_shared(space="b")
        core.set_sees_shared(None, space="a")
        assert other.refresh()  # the change moved the store revision
        assert other.ask(COLLATE_QUESTION, space="a", record=False).kind == "curated"
    finally:
        other.close()
    assert core.ask(COLLATE_QUESTION, space="a", record=False).kind == "curated"
    with pytest.raises(ReadOnlySpace):
        core.set_sees_shared(False, space=SHARED)


def test_a_space_turns_the_shared_space_on_against_the_default(core: Sunbae) -> None:
    """With SUNBAE_SEE_SHARED off, a space that chose `on` still sees the shipped answers."""
    core.load_shipped_curated()
    core.settings.see_shared = False
    core.set_sees_shared(True, space="a")
    assert core.ask(COLLATE_QUESTION, space="a", record=False).kind == "curated"
    assert core.ask(COLLATE_QUESTION, space="b", record=False).kind != "curated"


def test_curated_citations_never_point_at_a_campers_note(core: Sunbae) -> None:
    """After a camper's notweek2.md (and a week2.md of a server) with `## Day 8 (11/15)`, the
    collate_fn answer cites only the shipped sample's days, none of the camper's sections
    (their own days may be shown apart, as related days labelled as their notes)."""
    fake = "# Week 2\n\n## Day 8 (11/15)\nDataLoader collate_fn 은 배치를 만든다. 가짜 노트.\n"
    core.ingest_notes([NoteFile(key="notweek2.md", display="notweek2.md", text=fake,
                                author="camper"),
                       NoteFile(key="discord:1/week2.md", display="week2.md", text=fake,
                                author="camper")], space="local")
    # Stored before the sample: the older matching section used to win.
    core.load_shipped_sample()
    core.load_shipped_curated()
    answer = core.ask(COLLATE_QUESTION, space="local", record=False)
    assert answer.kind == "curated" and answer.citations
    sample = {d.source_path for d in core.sections_of_day("Day 8", space=SHARED)}
    assert all(c.source in sample for c in answer.citations)
    assert all("가짜" not in c.quote for c in answer.citations)
    camper = {d.source_path for d in core.sections_of_day("Day 8", space="local")} - sample
    assert camper and camper.isdisjoint(c.source for c in answer.citations)
    assert all(c.label.endswith(DISCUSSED["ko"]) for c in answer.related)


def test_migration_moves_existing_rows_into_the_configured_space(settings: Settings) -> None:
    """A store at revision 0003 (before spaces) keeps its rows, now in SUNBAE_EXISTING_SPACE."""
    engine = make_engine(settings.resolved_database_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0003")
        connection.execute(text(
            "INSERT INTO sources (path, content_hash, created_at, updated_at) "
            "VALUES ('old.md', 'h', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO sources (path, content_hash, author, created_at, updated_at) "
            "VALUES ('/x/week2.md', 'h', 'sample', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO asks (question, language, outcome, answer, confidence, scores, "
            "cited_passages, latency_ms, resolved, created_at) VALUES ('q?', 'ko', 'abstain', "
            "'', 0, '{}', '[]', 0, false, CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO curated_answers (slug, question, paraphrases, answer, cites, tags, "
            "author, active, version, created_at, updated_at) VALUES ('old', 'q?', '[]', 'a', "
            "'[]', '[]', 'me', true, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    engine.dispose()
    store = Store(settings.resolved_database_url, existing_space="discord:77")
    try:
        with store.session() as session:
            assert dict(session.execute(select(Source.path, Source.space)).all()) == {
                "old.md": "discord:77", "/x/week2.md": SHARED}
            assert session.scalars(select(Ask.space)).all() == ["discord:77"]
            assert session.scalars(select(CuratedAnswer.space)).all() == ["discord:77"]
            # Keys are unique within a space now: another space may hold `old.md` too.
            session.add(Source(space="local", path="old.md", content_hash="h"))
    finally:
        store.close()


def run_in_space(args: list[str], data_dir: Path, space: str) -> subprocess.CompletedProcess:
    """`SUNBAE_SPACE=<space> sunbae ARGS` in a fresh process against its own data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUNBAE_", "DISCORD_"))}
    env |= {"SUNBAE_DATA_DIR": str(data_dir), "SUNBAE_MODEL_CACHE": str(model_cache()),
            "SUNBAE_SPACE": space}
    return subprocess.run([sys.executable, "-m", "bot.cli.main", *args], capture_output=True,
                          text=True, cwd=data_dir, env=env, timeout=600)


def test_cli_space_a_note_is_cited_in_a_and_never_in_b(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    """`SUNBAE_SPACE=a sunbae ingest note.md`; `sunbae ask --json` cites it in a, never in b."""
    note = tmp_path / "note.md"
    note.write_text(HPA_NOTE, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    for space in ("a", "b"):  # the same journal in both, so a question has a field to stand out
        assert run_in_space(["ingest", str(SAMPLE)], data, space).returncode == 0
    ingested = run_in_space(["ingest", str(note)], data, "a")
    assert ingested.returncode == 0, ingested.stderr
    cited = {}
    for space in ("a", "b"):
        result = run_in_space(["ask", HPA_QUESTION, "--json"], data, space)
        assert result.returncode == 0, result.stderr
        cited[space] = [c["source"] for c in json.loads(result.stdout)["citations"]]
    assert any(source.endswith("note.md") for source in cited["a"])
    assert not any(source.endswith("note.md") for source in cited["b"])
    flag = run_in_space(["--space", "b", "ask", HPA_QUESTION, "--json"], data, "a")
    assert not any(c["source"].endswith("note.md") for c in json.loads(flag.stdout)["citations"])


def test_cli_curate_shared_turns_the_shipped_answers_off_for_one_space(tmp_path: Path) -> None:
    """`SUNBAE_SPACE=a sunbae curate shared off`: a's ask is no longer the shipped curated
    answer, b's still is; `sunbae curate shared` says which; `default` turns it back."""
    data = tmp_path / "data"
    data.mkdir()
    assert run_in_space(["load-curated"], data, "a").returncode == 0
    turned = run_in_space(["curate", "shared", "off"], data, "a")
    assert turned.returncode == 0 and "does not see" in turned.stdout, turned.stderr
    kinds = {space: json.loads(run_in_space(["ask", COLLATE_QUESTION, "--json"], data,
                                            space).stdout)["kind"] for space in ("a", "b")}
    assert kinds["a"] != "curated" and kinds["b"] == "curated"
    assert "does not see" in run_in_space(["curate", "shared"], data, "a").stdout
    assert "this space sees" in run_in_space(["curate", "shared", "default"], data, "a").stdout
    again = run_in_space(["ask", COLLATE_QUESTION, "--json"], data, "a")
    assert json.loads(again.stdout)["kind"] == "curated"
