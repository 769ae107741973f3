"""Sending on Slack: answers in threads, and private lines to one person."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncBoltContext
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import Block, answer_blocks, fallback_text, messages_of
from bot.slack.mrkdwn import FALLBACK_TEXT_LIMIT, cut
from knowledge.views import Answer

if TYPE_CHECKING:
    from bot.slack.transport import SlackTransport

log = logging.getLogger(__name__)

# Every message goes out with these: no @name linking, no link previews of quoted notes.
QUIET: dict[str, Any] = {"link_names": False, "unfurl_links": False, "unfurl_media": False}


async def post_answer(t: SlackTransport, answer: Answer, *, team: str | None, channel: str,
                      thread_ts: str | None = None, show_question: bool = False) -> None:
    """The answer in as many messages as Slack's 50 blocks need, buttons on the last; an
    abstention is queued as a card for the workspace's maintainers."""
    text = fallback_text(answer)
    ts: str | None = None
    blocks: list[Block] = []
    for blocks in messages_of(answer_blocks(answer, show_question=show_question)):
        sent = await t.client.chat_postMessage(channel=channel, thread_ts=thread_ts,
                                               blocks=blocks, text=text, **QUIET)
        ts = sent.get("ts")
    if thread_ts:
        t.remember_thread(channel, thread_ts)
    await t.cards.abstained(team, answer, channel=channel, ts=ts, blocks=blocks, text=text)


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

