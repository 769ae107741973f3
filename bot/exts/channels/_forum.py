"""A new post in an `auto` forum: answered inside the post from its title and body, tagged."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

import discord

from bot.answer_labels import could_not_answer, labels_for
from bot.exts.ask._replies import send_answer
from bot.exts.ask._routing import has_words
from bot.utils.checks import person_key, place_key
from bot.utils.messages import NO_PINGS, one_line
from bot.utils.thanks import only_thanks
from knowledge.errors import EmptyQuestion, StoreUnavailable
from knowledge.language import question_language
from knowledge.views import Answer

if TYPE_CHECKING:
    from bot.discord_app import SunbaeBot

log = logging.getLogger(__name__)

# Forum tags Sunbae sets when the forum has them (matched by name, any case).
ANSWERED_TAG = "answered by sunbae"
HUMAN_TAG = "needs a human"


async def starter_of(thread: discord.Thread) -> discord.Message | None:
    """The post's first message (a forum post's starter has the thread's id)."""
    if thread.starter_message is not None:
        return thread.starter_message
    with contextlib.suppress(discord.HTTPException):
        return await thread.fetch_message(thread.id)
    return None


def post_question(thread: discord.Thread, starter: discord.Message | None) -> str:
    """The question of a post: its title, then its body."""
    return one_line(f"{thread.name}\n{starter.content if starter else ''}")


def tag_for(forum: discord.ForumChannel, answer: Answer) -> discord.ForumTag | None:
    """The forum's "needs a human" tag for an abstention, else its "answered by Sunbae" tag
    (None when the forum has no such tag)."""
    wanted = HUMAN_TAG if answer.kind == "abstain" else ANSWERED_TAG
    return next((tag for tag in forum.available_tags if tag.name.casefold() == wanted), None)


async def answer_post(bot: SunbaeBot, thread: discord.Thread, space: str) -> Answer | None:
    """Answer a new forum post inside it; None when it was not a question for Sunbae (a bot's
    post, a post that mentions Sunbae, which the ask cog answers, or only thanks)."""
    me = bot.user.id if bot.user is not None else None
    if thread.owner_id == me:
        return None
    starter = await starter_of(thread)
    if starter is not None and (starter.author.bot or me in starter.raw_mentions):
        return None
    question = post_question(thread, starter)
    if not has_words(question) or only_thanks(question):
        return None
    guild_id = thread.guild.id if thread.guild else None
    try:
        answer = await bot.core.ask_async(
            question, space=space, channel=place_key(guild_id, thread.id),
            user=person_key(starter.author) if starter is not None else None)
    except (EmptyQuestion, StoreUnavailable) as exc:
        await thread.send(could_not_answer(exc, question), allowed_mentions=NO_PINGS)
        return None
    except Exception:
        log.exception("answering a forum post failed")
        await thread.send(labels_for(question_language(question)).failed,
                          allowed_mentions=NO_PINGS)
        return None
    await send_answer(thread.send, answer)
    forum = thread.parent
    tag = tag_for(forum, answer) if isinstance(forum, discord.ForumChannel) else None
    if tag is not None:
        # Tagging needs Manage Threads; the answer matters more than the tag.
        with contextlib.suppress(discord.HTTPException):
            await thread.add_tags(tag)
    return answer
