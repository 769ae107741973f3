"""Sunbae's answers as embeds: the answer, the days it rests on, and what kind of answer it is."""

from __future__ import annotations

import discord

from bot.answer_labels import footer_line, labels_for, source_name
from bot.answer_labels import kind_line as label_kind_line
from bot.utils.messages import (
    ELLIPSIS,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    cut,
    escape_quote,
    fit_embed,
    no_pings,
    one_line,
    split_text,
)
from knowledge.text.cleaning import unmask_links, web_url
from knowledge.views import Answer, Citation

ANSWER_PIECE = 3500  # leaves the last embed room for citations under the 6000 total
QUOTE_LIMIT = 300
CITATION_BUDGET = 1800  # all citation fields of an answer together
MORE_SOURCES_BUDGET = 5000

COLOURS = {
    "curated": discord.Colour.green(),
    "passage": discord.Colour.blurple(),
    "abstain": discord.Colour.orange(),
}


def kind_line(answer: Answer) -> str:
    """Which kind of answer this is, and for a curated one, by whom, in the question's
    language (a display name can hold "@everyone" too)."""
    return label_kind_line(answer, lambda author: no_pings(one_line(author)))


def citation_field(citation: Citation, limit: int = FIELD_VALUE_LIMIT,
                   language: str | None = None) -> tuple[str, str]:
    """A citation as an embed field: `Week 2 · Day 8 (11/15)`, then its quote and file."""
    name = escape_quote(one_line(citation.label)) or "—"
    tail = f"\n— *{escape_quote(source_name(citation.source))}*"
    url = web_url(citation.url)
    if url is not None:
        # The address itself, never a masked link: a reader sees where it leads.
        tail += f" · {labels_for(language).open_link}: <{url}>"
    room = max(limit - len(tail) - 2, 20)
    quote = escape_quote(cut(one_line(citation.quote), min(QUOTE_LIMIT, room)))
    value = f"> {quote}" if quote else ""
    return name, cut(value + tail, limit)


def add_citations(embed: discord.Embed, citations: list[Citation], budget: int,
                  language: str | None = None) -> None:
    """Citation fields, each as long as an even share of `budget` allows."""
    if not citations:
        return
    share = min(FIELD_VALUE_LIMIT, budget // len(citations))
    for citation in citations:
        name, value = citation_field(citation, share, language)
        embed.add_field(name=name, value=value, inline=False)


def answer_embeds(answer: Answer, *, sent_to_maintainers: bool = False) -> list[discord.Embed]:
    """The answer as embeds: a long answer continues over several, citations on the last."""
    colour = COLOURS.get(answer.kind, discord.Colour.blurple())
    # Links from notes are shown with their addresses, never as masked links.
    pieces = split_text(no_pings(unmask_links(answer.text)), ANSWER_PIECE) or [ELLIPSIS]
    embeds = [discord.Embed(description=piece, colour=colour) for piece in pieces]
    first, last = embeds[0], embeds[-1]
    first.title = cut(no_pings(one_line(answer.question)), TITLE_LIMIT)
    first.set_author(name=kind_line(answer))
    words = labels_for(answer.language)
    add_citations(last, answer.shown_days(), CITATION_BUDGET, answer.language)
    if answer.kind == "abstain" and answer.nearest_topics:
        topics = "; ".join(escape_quote(one_line(t)) for t in answer.nearest_topics)
        last.add_field(name=words.nearest_topics, value=topics, inline=False)
    # "Sent" only once a card reached the maintainers' channel; until then it is logged.
    footer = footer_line(answer, sent_to_maintainers=sent_to_maintainers)
    if footer:
        last.set_footer(text=footer)
    return [fit_embed(embed) for embed in embeds]


def more_sources_embed(answer: Answer) -> discord.Embed:
    """Every citation of a wider search, for the "More sources" button."""
    words = labels_for(answer.language)
    embed = discord.Embed(title=words.more_sources, colour=discord.Colour.blurple())
    if not answer.shown_days():
        embed.description = words.no_more_sources
    add_citations(embed, answer.shown_days(), MORE_SOURCES_BUDGET, answer.language)
    return fit_embed(embed)
