"""Ingest and questions at once: no question sees half of a file."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.conftest import SAMPLE

VERSION_A = """# Day 31 - 도커

도커 컴포즈로 postgres 와 bot 컨테이너를 같이 띄웠다. healthcheck 로 pg_isready 를 쓴다.

# Day 32 - 도커 볼륨

도커 볼륨은 컨테이너가 지워져도 데이터를 남긴다. named volume 을 compose 에 적는다.
"""
VERSION_B = """# Day 41 - 도커 네트워크

도커 네트워크 bridge 모드에서 컨테이너끼리 서비스 이름으로 통신한다. postgres 호스트 이름.

# Day 42 - 도커 이미지

도커 이미지는 레이어로 쌓이고 Dockerfile 의 순서가 캐시를 정한다. slim 이미지를 쓴다.
"""
QUESTIONS = ["도커 컴포즈 healthcheck 는?", "도커 볼륨은 뭐야?", "도커 네트워크 통신은?",
             "도커 이미지 레이어 캐시는?"]


def test_questions_during_reingests_see_one_whole_version(core, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """While a file flips between two versions, every answer cites days of one version only."""
    core.ingest_paths([SAMPLE])
    note = tmp_path / "docker.md"
    days = {"A": {"Day 31", "Day 32"}, "B": {"Day 41", "Day 42"}}
    errors: list[BaseException] = []
    stop = threading.Event()

    def flip() -> None:
        try:
            for text in [VERSION_A, VERSION_B] * 3:
                note.write_text(text, encoding="utf-8")
                core.ingest_paths([note])
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            stop.set()

    writer = threading.Thread(target=flip)
    writer.start()
    seen: list[set[str]] = []
    asked = 0
    while not stop.is_set() or asked < len(QUESTIONS):
        answer = core.ask(QUESTIONS[asked % len(QUESTIONS)], record=False, max_citations=5)
        asked += 1
        seen.append({c.day for c in answer.citations if "docker.md" in c.source and c.day})
    writer.join()
    assert not errors, errors
    assert asked >= len(QUESTIONS)
    assert any(seen)  # the questions did reach the changing file
    for cited in seen:
        assert cited <= days["A"] or cited <= days["B"], cited
