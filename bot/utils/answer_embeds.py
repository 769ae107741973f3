"""Sunbae's answers as embeds: the answer, the days it rests on, and what kind of answer it is."""

from __future__ import annotations

from pathlib import PurePosixPath

import discord

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
# Said only once a card reached the maintainers' channel; until then the question is logged.
ABSTAIN_SENT = "메인테이너에게 전달했어요 · Sent to the maintainers"
ABSTAIN_LOGGED = "메인테이너 목록에 기록했어요 · Logged for the maintainers"


def kind_line(answer: Answer) -> str:
    """Which kind of answer this is, and for a curated one, by whom."""
    if answer.kind == "curated":
        # A display name can hold "@everyone" too.
        author = no_pings(one_line(answer.curated_author or "a maintainer"))
        return f"✅ 큐레이션된 답변 · Curated answer by {author}"
    if answer.kind == "abstain":
        return "🤔 아직 모르겠어요 · Not answered yet"
    return "📓 기록에서 찾은 답 · From the journals"


def source_name(source: str) -> str:
    """The file name of a citation's source (a path or a `discord:<guild>/<name>` key)."""
    return PurePosixPath(source.split("/", 1)[-1] if source.startswith("discord:") else source).name


def citation_field(citation: Citation, limit: int = FIELD_VALUE_LIMIT) -> tuple[str, str]:
    """A citation as an embed field: `Week 2 · Day 8 (11/15)`, then its quote and file."""
    name = escape_quote(one_line(citation.label)) or "—"
    tail = f"\n— *{escape_quote(source_name(citation.source))}*"
    url = web_url(citation.url)
    if url is not None:
        # The address itself, never a masked link: a reader sees where it leads.
        tail += f" · 원문 · open: <{url}>"
    room = max(limit - len(tail) - 2, 20)
    quote = escape_quote(cut(one_line(citation.quote), min(QUOTE_LIMIT, room)))
    value = f"> {quote}" if quote else ""
    return name, cut(value + tail, limit)


def add_citations(embed: discord.Embed, citations: list[Citation], budget: int) -> None:
    """Citation fields, each as long as an even share of `budget` allows."""
    if not citations:
        return
    share = min(FIELD_VALUE_LIMIT, budget // len(citations))
    for citation in citations:
        name, value = citation_field(citation, share)
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
    add_citations(last, answer.citations, CITATION_BUDGET)
    if answer.kind == "abstain" and answer.nearest_topics:
        topics = "; ".join(escape_quote(one_line(t)) for t in answer.nearest_topics)
        last.add_field(name="가까운 주제 · Nearest topics", value=topics, inline=False)
    told = ABSTAIN_SENT if sent_to_maintainers else ABSTAIN_LOGGED
    footer = [told] if answer.kind == "abstain" else []
    if answer.ask_id is not None:
        footer.append(f"ask #{answer.ask_id}")
    if footer:
        last.set_footer(text=" · ".join(footer))
    return [fit_embed(embed) for embed in embeds]


def more_sources_embed(answer: Answer) -> discord.Embed:
    """Every citation of a wider search, for the "More sources" button."""
    embed = discord.Embed(title="출처 더 보기 · More sources", colour=discord.Colour.blurple())
    if not answer.citations:
        embed.description = "더 찾은 기록이 없어요. (No other notes match this question.)"
    add_citations(embed, answer.citations, MORE_SOURCES_BUDGET)
    return fit_embed(embed)
