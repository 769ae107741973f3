"""Which messages are questions for Sunbae, and whether the answer opens a thread."""

from __future__ import annotations

import enum
import re

import discord

from bot.settings import DiscordSettings
from bot.utils.messages import cut, one_line

THREAD_NAME_LIMIT = 100


class Route(enum.Enum):
    """Where an answer to a message goes."""

    NEW_THREAD = "a new thread on the question"
    IN_PLACE = "the same channel or thread"


def route_message(message: discord.Message, *, bot_id: int,
                  settings: DiscordSettings) -> Route | None:
    """The route of a message that asks Sunbae something, None for every other message."""
    if message.author.bot:  # other bots and Sunbae itself: never a conversation partner
        return None
    channel = message.channel
    mentioned = bot_id in message.raw_mentions
    if isinstance(channel, discord.Thread):
        # In its own threads Sunbae is the one being talked to, so no mention is needed.
        return Route.IN_PLACE if mentioned or channel.owner_id == bot_id else None
    if isinstance(channel, discord.DMChannel):
        return Route.IN_PLACE
    if mentioned:
        return Route.NEW_THREAD
    in_qa_channel = channel.id in settings.qa_channel_ids
    if settings.answer_all_in_qa_channels and in_qa_channel and message.reference is None:
        # A reply to someone is a conversation between people, not a question for Sunbae.
        return Route.NEW_THREAD
    return None


def question_text(content: str, bot_id: int) -> str:
    """The message without Sunbae's mention, on one line."""
    return one_line(re.sub(rf"<@!?{bot_id}>", " ", content))


def has_words(text: str) -> bool:
    """Whether there is anything to search for (not only emoji or punctuation)."""
    return any(ch.isalnum() for ch in text)


def thread_name(question: str) -> str:
    """A thread title from the question (Discord allows 100 characters)."""
    return cut(one_line(question), THREAD_NAME_LIMIT) or "Sunbae"
