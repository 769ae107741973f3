"""Which messages are questions for Sunbae, and whether the answer opens a thread."""

from __future__ import annotations

import enum
import re

import discord

from bot.settings import DiscordSettings
from bot.utils.messages import cut, one_line
from bot.utils.thanks import only_thanks

THREAD_NAME_LIMIT = 100
# What people write; everything else (thread created, pins, joins, boosts) is Discord's.
PEOPLES_MESSAGES = (discord.MessageType.default, discord.MessageType.reply)
ASK_ID = re.compile(r"^sunbae:(?:vote|sources|curate):([0-9]+)")
FOOTER_ASK_ID = re.compile(r"ask #([0-9]+)")


class Route(enum.Enum):
    """Where an answer to a message goes."""

    NEW_THREAD = "a new thread on the question"
    IN_PLACE = "the same channel or thread"


def route_message(message: discord.Message, *, bot_id: int, settings: DiscordSettings,
                  mode: str | None = None) -> Route | None:
    """The route of a message that asks Sunbae something, None for every other message
    (`mode`: the channel's stored mode, auto | mention | off; None: the settings decide)."""
    if message.author.bot:  # other bots and Sunbae itself: never a conversation partner
        return None
    if mode == "off" or not speaks_to_sunbae(message, bot_id):
        return None
    channel = message.channel
    mentioned = bot_id in message.raw_mentions
    if replied_to(message, bot_id) is not None:
        return Route.IN_PLACE  # a Reply to one of Sunbae's answers, wherever it is
    if isinstance(channel, discord.Thread):
        # In its own threads Sunbae is the one being talked to, so no mention is needed.
        return Route.IN_PLACE if mentioned or channel.owner_id == bot_id else None
    if isinstance(channel, discord.DMChannel):
        return Route.IN_PLACE
    if mentioned:
        return Route.NEW_THREAD
    if mode is not None:
        # A reply to someone is a conversation between people, not a question for Sunbae.
        return Route.NEW_THREAD if mode == "auto" and message.reference is None else None
    in_qa_channel = channel.id in settings.qa_channel_ids
    if settings.answer_all_in_qa_channels and in_qa_channel and message.reference is None:
        # A reply to someone is a conversation between people, not a question for Sunbae.
        return Route.NEW_THREAD
    return None


def speaks_to_sunbae(message: discord.Message, bot_id: int) -> bool:
    """False for Discord's own messages (thread created, pins), for a message that mentions
    someone other than Sunbae and not Sunbae, and for a message that only thanks."""
    if message.type not in PEOPLES_MESSAGES:
        return False
    mentions = set(message.raw_mentions)
    if mentions - {bot_id} and bot_id not in mentions:
        return False  # talking to another camper ("<@123> 고마워요!")
    return not only_thanks(message.content)


def replied_to(message: discord.Message, bot_id: int) -> discord.Message | None:
    """The Sunbae message this message is a Discord Reply to (None for any other message)."""
    reference = message.reference
    resolved = reference.resolved if reference is not None else None
    if isinstance(resolved, discord.Message) and resolved.author.id == bot_id:
        return resolved
    return None


def ask_ids_of(message: discord.Message) -> list[int]:
    """The asks an answer of Sunbae's carries: its buttons' ids, or its footer's `ask #N`."""
    found: list[int] = []
    for row in getattr(message, "components", None) or ():  # absent on some partial messages
        for item in getattr(row, "children", ()):
            match = ASK_ID.match(getattr(item, "custom_id", None) or "")
            if match:
                found.append(int(match[1]))
    if not found:
        for embed in message.embeds:
            found += [int(n) for n in FOOTER_ASK_ID.findall(embed.footer.text or "")]
    return list(dict.fromkeys(found))


def question_text(content: str, bot_id: int) -> str:
    """The message without Sunbae's mention, on one line."""
    return one_line(re.sub(rf"<@!?{bot_id}>", " ", content))


def has_words(text: str) -> bool:
    """Whether there is anything to search for (not only emoji or punctuation)."""
    return any(ch.isalnum() for ch in text)


def thread_name(question: str) -> str:
    """A thread title from the question (Discord allows 100 characters)."""
    return cut(one_line(question), THREAD_NAME_LIMIT) or "Sunbae"
