"""Questions on Slack: mentions answered in threads, follow-ups in Sunbae's threads, DMs, /ask."""

from __future__ import annotations

import contextlib
import html
import logging
import re
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.errors import SlackApiError

from bot.answer_labels import could_not_answer, labels_for
from bot.slack.blocks import answer_blocks, fallback_text, messages_of
from bot.slack.people import api_error, person_key, place_key
from bot.slack.replies import QUIET, post_answer, tell
from bot.utils.thanks import only_thanks
from knowledge.conversation import Conversation
from knowledge.errors import EmptyQuestion, StoreUnavailable
from knowledge.language import question_language
from knowledge.views import Answer

if TYPE_CHECKING:
    from bot.slack.transport import Body, SlackTransport

log = logging.getLogger(__name__)

EMPTY_MENTION = ("무엇이든 물어보세요! 저를 멘션하고 질문을 적거나 /ask 를 써 주세요. "
                 "(Mention me with a question, or use /ask.)")
_LINK = re.compile(r"<([^<>|]*)\|([^<>]*)>")
_USER_MENTION = re.compile(r"<@([A-Z0-9]+)(\|[^>]*)?>")


def question_text(text: str, bot_user_id: str | None) -> str:
    """A message's text as a question: Sunbae's mention out, links as their labels, Slack's
    escapes undone, on one line."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    text = _LINK.sub(r"\2", text)
    return " ".join(html.unescape(text).split())


def has_words(text: str) -> bool:
    """Whether there is anything to search for (not only emoji or punctuation)."""
    return any(ch.isalnum() for ch in text)


async def on_mention(t: SlackTransport, ack: AsyncAck, body: Body,
                     context: AsyncBoltContext) -> None:
    """A mention in a channel: the answer in the message's thread."""
    await ack()
    event = body["event"]
    if event.get("bot_id"):
        return  # other bots are never a conversation partner
    if await t.modes.mode_of(context.team_id, event.get("channel"), t.settings) == "off":
        return  # a maintainer silenced Sunbae in this channel
    await answer_event(t, context, event, thread_ts=event.get("thread_ts") or event["ts"],
                       mentioned=True)


async def on_message(t: SlackTransport, ack: AsyncAck, body: Body,
                     context: AsyncBoltContext) -> None:
    """DMs, follow-ups in Sunbae's threads, and top-level messages of `auto` channels (a
    stored mode, or a Q&A channel with answer-all on); nothing in an `off` channel."""
    await ack()
    event = body["event"]
    if event.get("subtype") or event.get("bot_id") or not event.get("user"):
        return  # edits, joins, other bots: not questions
    in_dm = event.get("channel_type") == "im"
    if not in_dm and context.bot_user_id and f"<@{context.bot_user_id}" in event.get("text", ""):
        return  # a mention in a channel: on_mention answers it (DMs send no app_mention)
    if mentions_someone_else(event.get("text", ""), context.bot_user_id):
        return  # talking to another person ("<@U123> 고마워요!"), not to Sunbae
    mode = None if in_dm else await t.modes.mode_of(context.team_id, event.get("channel"),
                                                    t.settings)
    if mode == "off":
        return  # a maintainer silenced Sunbae in this channel (its threads too)
    thread_ts = event.get("thread_ts")
    if in_dm or (thread_ts and await is_sunbae_thread(t, event["channel"], thread_ts,
                                                       context.bot_user_id)):
        await answer_event(t, context, event, thread_ts=thread_ts)
    elif not thread_ts and mode == "auto":
        # `auto`: stored, or a Q&A channel with answer-all on (today's default).
        await answer_event(t, context, event, thread_ts=event["ts"])


def mentions_someone_else(text: str, bot_user_id: str | None) -> bool:
    """Whether a message mentions a person other than Sunbae (and not Sunbae)."""
    people = {match[1] for match in _USER_MENTION.finditer(text)}
    return bool(people - {bot_user_id}) and bot_user_id not in people


def thread_place(team: str | None, channel: str, thread_ts: str | None) -> str:
    """Where an ask is logged: its channel, and its thread when it is answered in one (so a
    follow-up finds the thread's earlier questions)."""
    place = place_key(team, channel)
    return f"{place}/{thread_ts}" if thread_ts else place


async def is_sunbae_thread(t: SlackTransport, channel: str, thread_ts: str,
                           bot_user_id: str | None) -> bool:
    """Whether Sunbae has answered in this thread (then no mention is needed to ask it)."""
    if f"{channel}/{thread_ts}" in t.answered_threads:
        return True
    try:
        replies = await t.client.conversations_replies(channel=channel, ts=thread_ts, limit=200)
    except SlackApiError as exc:
        log.warning("could not read a thread: %s", api_error(exc))
        return False
    # Sunbae's own messages carry its bot user id (it posts with the bot token).
    return bool(bot_user_id) and any(message.get("user") == bot_user_id
                                     for message in replies.get("messages") or [])


async def answer_event(t: SlackTransport, context: AsyncBoltContext, event: dict[str, Any], *,
                       thread_ts: str | None, mentioned: bool = False) -> None:
    """Answer a message's question where it was asked."""
    channel = event["channel"]
    question = question_text(event.get("text", ""), context.bot_user_id)
    if only_thanks(question):
        return  # "고마워요!", "thanks": neither answered nor logged
    if not has_words(question):
        if mentioned:
            await t.client.chat_postMessage(channel=channel, thread_ts=thread_ts,
                                            text=EMPTY_MENTION, **QUIET)
        return
    # A reaction says "working on it"; it is a courtesy, not worth failing the answer over.
    with contextlib.suppress(SlackApiError):
        await t.client.reactions_add(channel=channel, timestamp=event["ts"], name="eyes")
    place = thread_place(context.team_id, channel, thread_ts)
    # A message inside a thread (not the one opening it) follows up on the thread's questions.
    follows_up = bool(event.get("thread_ts")) and event.get("thread_ts") != event.get("ts")
    earlier = await thread_context(t, context, place) if follows_up else None
    answer = await ask(t, context, question, channel, place=place, conversation=earlier)
    if isinstance(answer, str):
        await t.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=answer,
                                        **QUIET)
        return
    await post_answer(t, answer, team=context.team_id, channel=channel, thread_ts=thread_ts)


async def thread_context(t: SlackTransport, context: AsyncBoltContext,
                         place: str) -> Conversation | None:
    """The thread's first question and the days cited in it (None when the store is down:
    the question itself will say so)."""
    try:
        return await t.core.conversation(context.team_id, place)
    except StoreUnavailable:
        return None


async def ask(t: SlackTransport, context: AsyncBoltContext, question: str,
              channel: str | None, *, place: str | None = None,
              conversation: Conversation | None = None) -> Answer | str:
    """The core's answer, or what to say instead when the core could not answer."""
    team = context.team_id
    try:
        return await t.core.ask(team, question, user=person_key(team, context.user_id or "-"),
                                channel=place or place_key(team, channel),
                                context=conversation)
    except (EmptyQuestion, StoreUnavailable) as exc:
        return could_not_answer(exc, question)
    except Exception:
        log.exception("answering a question failed")
        return labels_for(question_language(question)).failed


async def on_ask_command(t: SlackTransport, ack: AsyncAck, body: Body,
                         context: AsyncBoltContext) -> None:
    """/ask <question>: acknowledged at once, answered in the channel."""
    question = question_text(body.get("text") or "", context.bot_user_id)  # Slack escapes it
    if not has_words(question):
        await ack(text="질문을 적어 주세요: `/ask 질문` (Write a question after /ask.)")
        return
    await ack()
    answer = await ask(t, context, question, body.get("channel_id"))
    if isinstance(answer, str):
        await tell(t, context, answer)
        return
    try:
        await post_answer(t, answer, team=context.team_id, channel=body["channel_id"],
                          show_question=True)
    except SlackApiError:
        # Not a member of that channel: the answer goes to the asker alone, and an
        # abstention still reaches the maintainers (as a card with no jump link).
        blocks = messages_of(answer_blocks(answer, show_question=True))[0]
        text = fallback_text(answer)
        await tell(t, context, text, blocks=blocks)
        await t.cards.abstained(context.team_id, answer, channel=body["channel_id"], ts=None,
                                blocks=blocks, text=text)
