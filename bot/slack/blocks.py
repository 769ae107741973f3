"""Sunbae's answers in Block Kit: the answer in sections, citations in context blocks, buttons."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

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
# True whether or not a maintainers' channel is set: the question is in the unanswered list.
ABSTAIN_NOTE = "메인테이너 목록에 기록했어요 · Logged for the maintainers"


def kind_line(answer: Answer) -> str:
    """Which kind of answer this is, and for a curated one, by whom."""
    if answer.kind == "curated":
        author = plain(answer.curated_author or "a maintainer")
        return f"✅ 큐레이션된 답변 · Curated answer by {author}"
    if answer.kind == "abstain":
        return "🤔 아직 모르겠어요 · Not answered yet"
    return "📓 기록에서 찾은 답 · From the journals"


def source_name(source: str) -> str:
    """The file name of a citation's source (a path, or a `slack:<team>/<name>` key)."""
    if source.startswith(("slack:", "discord:")):
        source = source.split("/", 1)[-1]
    return PurePosixPath(source).name


def mrkdwn(text: str) -> dict[str, str]:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": text}


def citation_text(citation: Citation) -> str:
    """`*Week 2 · Day 8 (11/15)*`, then the quote and the file, as one context element."""
    label = plain(citation.label) or "—"
    quote = cut(plain(citation.quote), QUOTE_LIMIT)
    tail = f"_{plain(source_name(citation.source))}_"
    if citation.url and citation.url.startswith(("https://", "http://")):
        url = citation.url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E")
        tail += f" · <{url.replace('|', '%7C')}|원문 · open>"
    text = f"*{label}*\n&gt; {quote}\n{tail}" if quote else f"*{label}*\n{tail}"
    return cut(text, CONTEXT_TEXT_LIMIT)


def citation_blocks(citations: list[Citation]) -> list[Block]:
    """One context block per citation (a context block holds at most ten elements)."""
    return [{"type": "context", "elements": [mrkdwn(citation_text(c))]} for c in citations]


def button(text: str, action_id: str, ask_id: int, *, style: str | None = None) -> Block:
    """A button that carries only the ask id, so it works after a restart."""
    element: Block = {"type": "button", "action_id": action_id, "value": str(ask_id),
                      "text": {"type": "plain_text", "text": text, "emoji": True}}
    if style:
        element["style"] = style
    return element


def answer_actions(ask_id: int, *, abstained: bool) -> Block:
    """👍 / 👎 / More sources / Save as curated (or "Answer this" under an abstention)."""
    elements = [button("👍", VOTE_UP, ask_id), button("👎", VOTE_DOWN, ask_id)]
    if not abstained:
        elements.append(button("📚 More sources", MORE_SOURCES, ask_id))
    label = "📝 Answer this" if abstained else "📝 Save as curated"
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
    blocks += citation_blocks(answer.citations)
    if answer.kind == "abstain" and answer.nearest_topics:
        topics = "; ".join(plain(topic) for topic in answer.nearest_topics)
        blocks.append({"type": "context", "elements": [mrkdwn(
            cut(f"가까운 주제 · Nearest topics: {topics}", CONTEXT_TEXT_LIMIT))]})
    footer = [ABSTAIN_NOTE] if answer.kind == "abstain" else []
    if answer.ask_id is not None:
        footer.append(f"ask #{answer.ask_id}")
        blocks.append(answer_actions(answer.ask_id, abstained=answer.kind == "abstain"))
    if footer:
        blocks.append({"type": "context", "elements": [mrkdwn(" · ".join(footer))]})
    return blocks


def messages_of(blocks: list[Block]) -> list[list[Block]]:
    """Blocks grouped into messages of at most fifty."""
    return [blocks[at:at + BLOCKS_PER_MESSAGE] for at in range(0, len(blocks), BLOCKS_PER_MESSAGE)]


def fallback_text(answer: Answer) -> str:
    """The notification text of an answer message (shown where blocks are not)."""
    return cut(escape(" ".join(answer.text.split())), FALLBACK_TEXT_LIMIT) or ELLIPSIS


def more_sources_blocks(answer: Answer) -> list[Block]:
    """Every citation of a wider search, for the "More sources" button."""
    head: Block = {"type": "section", "text": mrkdwn("*출처 더 보기 · More sources*")}
    if not answer.citations:
        return [head, {"type": "context", "elements": [mrkdwn(
            "더 찾은 기록이 없어요. (No other notes match this question.)")]}]
    return [head, *citation_blocks(answer.citations)][:BLOCKS_PER_MESSAGE]
