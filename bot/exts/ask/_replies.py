"""Sending an answer: its embeds in as few messages as the limits allow, buttons on the last."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.exts.ask._buttons import answer_view
from bot.utils.answer_embeds import answer_embeds
from bot.utils.messages import NO_PINGS, group_for_messages
from knowledge.views import Answer

Send = Callable[..., Awaitable[Any]]

EMPTY_MENTION = ("무엇이든 물어보세요! 저를 멘션하고 질문을 적거나 /ask 를 써 주세요. "
                 "(Mention me with a question, or use /ask.)")


async def send_answer(send: Send, answer: Answer) -> Any:
    """Send through `send` (a channel's, thread's or followup's), never pinging anyone; returns
    the last message sent (the one with the footer and buttons)."""
    groups = group_for_messages(answer_embeds(answer))
    view = answer_view(answer.ask_id, abstained=answer.kind == "abstain",
                       language=answer.language)
    sent: Any = None
    for index, embeds in enumerate(groups):
        last = index == len(groups) - 1
        extra: dict[str, Any] = {"view": view} if last and view is not None else {}
        sent = await send(embeds=embeds, allowed_mentions=NO_PINGS, **extra)
    return sent
