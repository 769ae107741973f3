"""Curated answers and the unanswered worklist as embeds."""

from __future__ import annotations

import discord

from bot.utils.messages import cut, escape_quote, fit_embed, no_pings, one_line
from bot.utils.pagination import text_pages
from knowledge.views import CuratedView, UnansweredGroup

LIST_LINE = 200


def curated_list_pages(views: list[CuratedView]) -> list[discord.Embed]:
    """One line per curated answer: slug, version, question; retired ones marked."""
    if not views:
        return text_pages("Curated answers · 큐레이션 답변", "아직 없어요. (None yet.)")
    rows = []
    for view in views:
        state = "" if view.active else " *(retired)*"
        rows.append(cut(f"`{view.slug}` v{view.version} — {escape_quote(one_line(view.question))}"
                        f"{state}", LIST_LINE))
    return text_pages("Curated answers · 큐레이션 답변", "\n".join(rows),
                      footer=f"{len(views)} answers", colour=discord.Colour.green())


def curated_embed(view: CuratedView) -> discord.Embed:
    """One curated answer in full: question, answer, phrasings, cited days, author, version."""
    colour = discord.Colour.green() if view.active else discord.Colour.dark_grey()
    embed = discord.Embed(title=no_pings(one_line(view.question)),
                          description=no_pings(view.answer), colour=colour)
    if view.paraphrases:
        embed.add_field(name="Other phrasings · 다른 표현",
                        value="\n".join(f"• {escape_quote(p)}" for p in view.paraphrases),
                        inline=False)
    if view.cites:
        embed.add_field(name="Cited days · 출처",
                        value="\n".join(f"• {escape_quote(c)}" for c in view.cites), inline=False)
    state = "active" if view.active else "retired"
    embed.set_footer(text=no_pings(f"{view.slug} · v{view.version} by {view.author} · {state}"))
    return fit_embed(embed)


def unanswered_pages(groups: list[UnansweredGroup]) -> list[discord.Embed]:
    """The worklist: most asked first, each with the other ways it was asked."""
    if not groups:
        return text_pages("Unanswered · 답하지 못한 질문",
                          "모두 답했어요! (No unanswered questions.)")
    rows = []
    for number, group in enumerate(groups, start=1):
        row = f"**{number}.** {group.count}× {escape_quote(one_line(group.question))}"
        others = [v for v in group.variants if v != group.question][:3]
        if others:
            row += "\n    ↳ " + " / ".join(escape_quote(one_line(v)) for v in others)
        rows.append(cut(row, 400))
    return text_pages("Unanswered · 답하지 못한 질문", "\n".join(rows),
                      footer="Pick one below to answer it · 아래에서 골라 답하기",
                      colour=discord.Colour.orange())
