"""Sunbae's answers in Block Kit: the answer in sections, citations in context blocks, buttons."""

from __future__ import annotations

from typing import Any

from bot.answer_labels import ANSWER_THIS, footer_line, labels_for, source_name
from bot.answer_labels import SAVE_CURATED as SAVE_CURATED_LABEL
from bot.answer_labels import kind_line as label_kind_line
from bot.slack.mrkdwn import (
    BLOCKS_PER_MESSAGE,
    CONTEXT_TEXT_LIMIT,
    ELLIPSIS,
    FALLBACK_TEXT_LIMIT,
    cut,
    escape,
    plain,
    split_mrkdwn,
    to_mrkdwn,
)
from knowledge.views import Answer, Citation

Block = dict[str, Any]

VOTE_UP = "sunbae_vote_up"
VOTE_DOWN = "sunbae_vote_down"
MORE_SOURCES = "sunbae_more_sources"
SAVE_CURATED = "sunbae_save_curated"
QUOTE_LIMIT = 300


def kind_line(answer: Answer) -> str:
    """Which kind of answer this is, and for a curated one, by whom (question's language)."""
    return label_kind_line(answer, plain)


def mrkdwn(text: str) -> dict[str, str]:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": text}


def citation_text(citation: Citation, language: str | None = None) -> str:
    """`*Week 2 · Day 8 (11/15)*`, then the quote and the file, as one context element."""
    label = plain(citation.label) or "—"
    quote = cut(plain(citation.quote), QUOTE_LIMIT)
    tail = f"_{plain(source_name(citation.source))}_"
    if citation.url and citation.url.startswith(("https://", "http://")):
        url = citation.url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E")
        tail += f" · <{url.replace('|', '%7C')}|{labels_for(language).open_link}>"
    text = f"*{label}*\n&gt; {quote}\n{tail}" if quote else f"*{label}*\n{tail}"
    return cut(text, CONTEXT_TEXT_LIMIT)


def citation_blocks(citations: list[Citation], language: str | None = None) -> list[Block]:
    """One context block per citation (a context block holds at most ten elements)."""
    return [{"type": "context", "elements": [mrkdwn(citation_text(c, language))]}
            for c in citations]


def button(text: str, action_id: str, ask_id: int, *, style: str | None = None) -> Block:
    """A button that carries only the ask id, so it works after a restart."""
    element: Block = {"type": "button", "action_id": action_id, "value": str(ask_id),
                      "text": {"type": "plain_text", "text": text, "emoji": True}}
    if style:
        element["style"] = style
    return element


def answer_actions(ask_id: int, *, abstained: bool, language: str | None = None) -> Block:
    """👍 / 👎 / More sources / Save as curated (or "Answer this" under an abstention)."""
    words = labels_for(language)
    elements = [button("👍", VOTE_UP, ask_id), button("👎", VOTE_DOWN, ask_id)]
    if not abstained:
        elements.append(button(f"📚 {words.more_sources}", MORE_SOURCES, ask_id))
    label = f"📝 {ANSWER_THIS if abstained else SAVE_CURATED_LABEL}"
    elements.append(button(label, SAVE_CURATED, ask_id, style="primary"))
    return {"type": "actions", "block_id": f"sunbae_answer_{ask_id}", "elements": elements}


def answer_blocks(answer: Answer, *, show_question: bool = False) -> list[Block]:
    """The whole answer as blocks, the buttons last (split into messages by `messages_of`);
    the question on top when it is not right above (/ask)."""
    head = kind_line(answer)
    if show_question:
        head = f"*{cut(plain(answer.question), 500)}*\n{head}"
    blocks: list[Block] = [{"type": "context", "elements": [mrkdwn(head)]}]
    pieces = split_mrkdwn(to_mrkdwn(answer.text)) or [ELLIPSIS]
    blocks += [{"type": "section", "text": mrkdwn(piece)} for piece in pieces]
    words = labels_for(answer.language)
    blocks += citation_blocks(answer.shown_days(), answer.language)
    if answer.kind == "abstain" and answer.nearest_topics:
        topics = "; ".join(plain(topic) for topic in answer.nearest_topics)
        blocks.append({"type": "context", "elements": [mrkdwn(
            cut(f"{words.nearest_topics}: {topics}", CONTEXT_TEXT_LIMIT))]})
    if answer.ask_id is not None:
        blocks.append(answer_actions(answer.ask_id, abstained=answer.kind == "abstain",
                                     language=answer.language))
    # "Logged" whether or not a maintainers' channel is set: it is in the unanswered list.
    footer = footer_line(answer)
    if footer:
        blocks.append({"type": "context", "elements": [mrkdwn(footer)]})
    return blocks


def messages_of(blocks: list[Block]) -> list[list[Block]]:
    """Blocks grouped into messages of at most fifty."""
    return [blocks[at:at + BLOCKS_PER_MESSAGE] for at in range(0, len(blocks), BLOCKS_PER_MESSAGE)]


def fallback_text(answer: Answer) -> str:
    """The notification text of an answer message (shown where blocks are not)."""
    return cut(escape(" ".join(answer.text.split())), FALLBACK_TEXT_LIMIT) or ELLIPSIS


def more_sources_blocks(answer: Answer) -> list[Block]:
    """Every citation of a wider search, for the "More sources" button."""
    words = labels_for(answer.language)
    head: Block = {"type": "section", "text": mrkdwn(f"*{words.more_sources}*")}
    if not answer.shown_days():
        return [head, {"type": "context", "elements": [mrkdwn(words.no_more_sources)]}]
    return [head, *citation_blocks(answer.shown_days(), answer.language)][:BLOCKS_PER_MESSAGE]
