"""A day's sections as pages: each section's text under its label, the file in the footer."""

from __future__ import annotations

import discord

from bot.utils.answer_embeds import source_name
from bot.utils.messages import no_pings, one_line
from bot.utils.pagination import text_pages
from knowledge.views import DaySection


def day_pages(sections: list[DaySection]) -> list[discord.Embed]:
    """Pages for every section of a day (several journals can have the same day)."""
    pages: list[discord.Embed] = []
    for section in sections:
        pages.extend(text_pages(
            no_pings(one_line(section.label)), no_pings(section.text),
            footer=no_pings(source_name(section.source_path)),
        ))
    return pages


def no_day_message(day: str) -> str:
    """What /source says when no journal has that day."""
    return no_pings(f"'{one_line(day)}'에 해당하는 기록이 없어요. "
                    "(No journal has that day; try a number such as 8 or 'Day 8'.)")
