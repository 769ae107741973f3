"""Sending on Slack: answers in threads, private lines to one person, maintainers' cards."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncBoltContext
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import SAVE_CURATED, Block, answer_blocks, button, fallback_text, messages_of
from bot.slack.mrkdwn import FALLBACK_TEXT_LIMIT, cut, plain
from bot.slack.people import api_error
from knowledge.views import Answer

if TYPE_CHECKING:
    from bot.slack.transport import SlackTransport

log = logging.getLogger(__name__)

# Every message goes out with these: no @name linking, no link previews of quoted notes.
QUIET: dict[str, Any] = {"link_names": False, "unfurl_links": False, "unfurl_media": False}


async def post_answer(t: SlackTransport, answer: Answer, *, channel: str,
                      thread_ts: str | None = None, show_question: bool = False) -> None:
    """The answer in as many messages as Slack's 50 blocks need, buttons on the last."""
    text = fallback_text(answer)
    for blocks in messages_of(answer_blocks(answer, show_question=show_question)):
        await t.client.chat_postMessage(channel=channel, thread_ts=thread_ts, blocks=blocks,
                                        text=text, **QUIET)
    if thread_ts:
        t.remember_thread(channel, thread_ts)
    if answer.kind == "abstain" and answer.ask_id is not None:
        await post_card(t, f"🤔 아직 답하지 못한 질문 · Unanswered question: "
                           f"*{plain(answer.question)}*", answer.ask_id)


async def post_card(t: SlackTransport, line: str, ask_id: int) -> None:
    """A card in the maintainers' channel (when one is set) with "Answer this" on it."""
    channel = t.settings.maintainer_channel_id
    if not channel:
        return
    blocks: list[Block] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": cut(line, 3000)}},
        {"type": "actions", "elements": [button("📝 Answer this", SAVE_CURATED, ask_id,
                                                style="primary")]},
    ]
    try:
        await t.client.chat_postMessage(channel=channel, blocks=blocks,
                                        text=cut(line, FALLBACK_TEXT_LIMIT), **QUIET)
    except SlackApiError as exc:  # a card is a courtesy; the ask log has the question anyway
        log.warning("could not post to the maintainers' channel: %s", api_error(exc))


async def tell(t: SlackTransport, context: AsyncBoltContext, text: str, *,
               channel: str | None = None, blocks: list[Block] | None = None) -> None:
    """A line only the person sees: through the command's response URL when there is one,
    else ephemeral in the channel, else in a direct message."""
    text = cut(text, FALLBACK_TEXT_LIMIT)
    user = context.user_id or ""
    extra: dict[str, Any] = {"blocks": blocks} if blocks else {}
    if context.respond is not None and context.respond.response_url:
        await context.respond(text=text, response_type="ephemeral", **extra)
        return
    channel = channel or context.channel_id
    if channel:
        with contextlib.suppress(SlackApiError):  # not in that channel: say it directly
            await t.client.chat_postEphemeral(channel=channel, user=user, text=text,
                                              link_names=False, **extra)
            return
    await t.client.chat_postMessage(channel=user, text=text, **extra, **QUIET)

