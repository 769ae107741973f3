"""/source: a day's journal entry, paged when long, turned only by the person who asked."""

from __future__ import annotations

from bot.discord_app import SunbaeBot
from bot.utils.pagination import PageView, text_pages
from knowledge.notes.ingest import NoteFile
from tests.discord_fakes import camper, fake_interaction

pytest_plugins = ["tests.discord_fixtures"]


async def source(bot: SunbaeBot, day: str):  # type: ignore[no-untyped-def]
    """Run /source as a camper; returns the fake interaction."""
    interaction = fake_interaction(bot, camper())
    cog = bot.get_cog("SourceCog")
    await cog.source.callback(cog, interaction, day=day)
    return interaction


async def test_source_shows_the_days_entry(sunbae_bot: SunbaeBot) -> None:
    """/source 8 shows Day 8 under its label with the journal's text."""
    interaction = await source(sunbae_bot, "8")
    embed = interaction.response.send_message.await_args.kwargs["embed"]
    assert embed.title == "Week 2 · Day 8 (11/15)"
    assert "두런두런" in embed.description


async def test_unknown_day_is_answered_ephemerally(sunbae_bot: SunbaeBot) -> None:
    """A day no journal has gets a short ephemeral hint."""
    interaction = await source(sunbae_bot, "Day 99")
    assert interaction.response.send_message.await_args.kwargs["ephemeral"] is True


async def test_long_entry_is_paged_with_buttons(sunbae_bot: SunbaeBot) -> None:
    """An entry longer than a page comes with page buttons, the first page first."""
    entry = "\n\n".join(f"{n}번째 문단: 오늘 배운 내용을 길게 적었다. " * 8 for n in range(40))
    sunbae_bot.core.ingest_notes([NoteFile(key="discord:1/long.md", display="long.md",
                                           text=f"Week 6\n===\n\nDay 30 (12/9)\n---\n{entry}\n")])
    interaction = await source(sunbae_bot, "30")
    view = interaction.response.send_message.await_args.kwargs["view"]
    assert isinstance(view, PageView) and len(view.pages) > 1 and view.index == 0


async def test_only_the_asker_turns_the_pages(sunbae_bot: SunbaeBot) -> None:
    """Someone else pressing ▶ is told to run the command and the page stays."""
    view = PageView(text_pages("Day", "가" * 7000), owner_id=1)
    stranger = fake_interaction(sunbae_bot, camper(2))
    assert await view.interaction_check(stranger) is False
    assert view.index == 0


async def test_next_moves_one_page(sunbae_bot: SunbaeBot) -> None:
    """The owner pressing ▶ sees page 2."""
    view = PageView(text_pages("Day", "가" * 7000), owner_id=1001)
    interaction = fake_interaction(sunbae_bot, camper(1001))
    await view.next.callback(interaction)
    assert view.index == 1
    assert interaction.response.edit_message.await_args.kwargs["embed"] is view.pages[1]
