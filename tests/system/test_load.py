"""200 concurrent questions through the async API: all answered, none lost, none on the loop."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from knowledge.bench.load import ask_concurrently
from knowledge.store.models import Ask

QUESTIONS = ["collate_fn이 뭐야?", "Resize(244) 하고 CenterCrop(224) 하면 뭐가 달라?",
             "쿠버네티스 파드 오토스케일링은 어떻게 설정해?", "What is a leaf tensor?"]


async def test_200_concurrent_questions_all_answered_off_the_loop(sample_core) -> None:  # type: ignore[no-untyped-def]
    """Every one of 200 questions gets an answer and an ask id, computed on worker threads."""
    loop_thread = threading.get_ident()
    threads: set[int] = set()
    real_ask = sample_core.ask

    def spied_ask(question: str, **kwargs: object):  # type: ignore[no-untyped-def]
        threads.add(threading.get_ident())
        return real_ask(question, **kwargs)

    sample_core.ask = spied_ask
    result = await ask_concurrently(sample_core, QUESTIONS, n=200)
    assert (result["answered"], result["lost"], result["distinct_ask_ids"]) == (200, 0, 200)
    assert threads and loop_thread not in threads
    with sample_core._store.session() as session:  # who asked: read from the ask log rows
        assert session.scalar(select(func.count(Ask.id)).where(Ask.user.like("load-%"))) == 200
