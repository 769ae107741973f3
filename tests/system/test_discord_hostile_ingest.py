"""A 1 MB hostile attachment never freezes the bot: it is parsed off the event loop, which
keeps running (shown deterministically: the parser waits for the loop to answer it; and a
ticking task's longest wait stays under 100 ms)."""

from __future__ import annotations

import asyncio
import time

import pytest

import knowledge.notes.ingest as ingest_module
from bot.discord_app import SunbaeBot
from tests.discord_fakes import GUILD_ID, camper, fake_attachment, fake_interaction

pytest_plugins = ["tests.discord_fixtures"]

HOSTILE = ("# a" + " " * 999_990 + "b\n").encode()
TICK_SECONDS = 0.005
MAX_STALL_SECONDS = 0.1  # the bound on how long the loop may stall


async def test_a_1mb_hostile_attachment_is_parsed_while_the_loop_keeps_running(
    sunbae_bot: SunbaeBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the note is parsed, a ticking task runs and the loop answers the parser itself
    (on the loop's own thread that round trip could never complete); no tick waits more than
    100 ms longer than it asked to."""
    loop = asyncio.get_running_loop()
    ticks = 0
    stop = asyncio.Event()
    stalls: list[float] = []

    async def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0)

    async def timed_ticker() -> None:
        while not stop.is_set():
            asked = time.perf_counter()
            await asyncio.sleep(TICK_SECONDS)
            stalls.append(time.perf_counter() - asked - TICK_SECONDS)

    async def ticks_now() -> int:
        return ticks

    seen: list[tuple[int, int]] = []
    real_parse = ingest_module.parse_document

    def parse_watched_from_the_loop(text: str, path: str):  # type: ignore[no-untyped-def]
        before = asyncio.run_coroutine_threadsafe(ticks_now(), loop).result(timeout=120)
        sections = real_parse(text, path)
        after = asyncio.run_coroutine_threadsafe(ticks_now(), loop).result(timeout=120)
        seen.append((before, after))
        return sections

    monkeypatch.setattr(ingest_module, "parse_document", parse_watched_from_the_loop)
    ticking = asyncio.gather(ticker(), timed_ticker())
    interaction = fake_interaction(sunbae_bot, camper(1001))
    cog = sunbae_bot.get_cog("IngestCog")
    await cog.ingest.callback(cog, interaction, file=fake_attachment("hostile.md", HOSTILE))
    stop.set()
    await ticking
    assert seen, "the note was never parsed"
    before, after = seen[0]
    assert after > before  # the loop ticked while the parser ran
    assert len(stalls) > 10 and max(stalls) < MAX_STALL_SECONDS, max(stalls)
    assert sunbae_bot.core.source_exists(f"discord:{GUILD_ID}/hostile.md")


async def test_two_campers_uploading_one_new_name_at_once_never_replace_each_other(
    sunbae_bot: SunbaeBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both ownership checks pass before either note is stored (the race); the second
    upload is refused under the ingest lock and the first camper keeps the note."""
    import bot.exts.ingest._saving as saving
    from bot.exts.ingest._notes import OwnershipCheck

    monkeypatch.setattr(saving, "check_ownership", lambda *args: OwnershipCheck([]))
    cog = sunbae_bot.get_cog("IngestCog")
    replies = []
    for user_id, body in ((1001, "첫 번째 캠퍼의 노트"), (1002, "두 번째 캠퍼의 노트")):
        interaction = fake_interaction(sunbae_bot, camper(user_id))
        note = f"## Day 12 (11/21)\n{body}\n".encode()
        await cog.ingest.callback(cog, interaction, file=fake_attachment("same.md", note))
        replies.append(str(interaction.followup.send.await_args_list))
    key = f"discord:{GUILD_ID}/same.md"
    assert "added 1" in replies[0]
    assert "another person's note" in replies[1]
    assert "1001" in (sunbae_bot.core.source_author(key) or "")
