"""Which messages start or continue a conversation with Sunbae (spec'd fakes, no core needed)."""

from __future__ import annotations

from unittest.mock import create_autospec

import discord
import pytest

from bot.exts.ask._routing import Route, ask_ids_of, route_message
from bot.settings import DiscordSettings
from bot.utils.thanks import only_thanks

BOT_ID = 99
CAMPER_ID = 1001
OTHER_ID = 1002


def fake_message(content: str, *, channel: object, kind: discord.MessageType =
                 discord.MessageType.default, mentions: tuple[int, ...] = (),
                 reference: discord.MessageReference | None = None) -> discord.Message:
    """A spec'd message from a camper."""
    message = create_autospec(discord.Message, instance=True, spec_set=True)
    message.content, message.type, message.raw_mentions = content, kind, list(mentions)
    message.author = create_autospec(discord.Member, instance=True, spec_set=True)
    message.author.id, message.author.bot = CAMPER_ID, False
    message.channel, message.reference = channel, reference
    return message


def sunbae_thread() -> discord.Thread:
    """A thread Sunbae opened."""
    thread = create_autospec(discord.Thread, instance=True, spec_set=True)
    thread.owner_id, thread.id = BOT_ID, 5
    return thread


def text_channel() -> discord.TextChannel:
    """A plain server channel."""
    channel = create_autospec(discord.TextChannel, instance=True, spec_set=True)
    channel.id = 6
    return channel


def sunbae_answer(ask_id: int = 42) -> discord.Message:
    """An answer of Sunbae's with its feedback buttons."""
    answer = create_autospec(discord.Message, instance=True, spec_set=True)
    answer.author = create_autospec(discord.ClientUser, instance=True, spec_set=True)
    answer.author.id = BOT_ID
    button = create_autospec(discord.Button, instance=True, spec_set=True)
    button.custom_id = f"sunbae:vote:{ask_id}:up"
    row = create_autospec(discord.ActionRow, instance=True, spec_set=True)
    row.children = [button]
    answer.components, answer.embeds = [row], []
    return answer


def route(message: discord.Message) -> Route | None:
    """The route with default settings."""
    return route_message(message, bot_id=BOT_ID, settings=DiscordSettings(_env_file=None))


def test_a_follow_up_in_sunbaes_thread_is_a_question() -> None:
    """Without a mention, in Sunbae's own thread."""
    assert route(fake_message("그럼 그건 왜 그래?", channel=sunbae_thread())) is Route.IN_PLACE


@pytest.mark.parametrize("kind", [discord.MessageType.thread_created,
                                  discord.MessageType.pins_add,
                                  discord.MessageType.thread_starter_message])
def test_system_messages_are_ignored(kind: discord.MessageType) -> None:
    """Thread created, pins and the like are Discord's, not questions."""
    assert route(fake_message("두런두런 행사", channel=sunbae_thread(), kind=kind)) is None


@pytest.mark.parametrize("text", ["고마워요!", "thanks", "감사합니다 ㅎㅎ", "Thank you so much!!"])
def test_thanks_are_not_questions(text: str) -> None:
    """A message that only thanks is left alone, even in Sunbae's thread."""
    assert route(fake_message(text, channel=sunbae_thread())) is None


def test_talking_to_another_camper_is_not_a_question() -> None:
    """`<@123> 고마워요!` or any message mentioning someone else (and not Sunbae)."""
    message = fake_message(f"<@{OTHER_ID}> 그거 어떻게 했어?", channel=sunbae_thread(),
                           mentions=(OTHER_ID,))
    assert route(message) is None


def test_mentioning_sunbae_and_someone_else_is_a_question() -> None:
    """Sunbae is addressed too: answered."""
    message = fake_message(f"<@{BOT_ID}> <@{OTHER_ID}> 이거 알아?", channel=text_channel(),
                           mentions=(BOT_ID, OTHER_ID))
    assert route(message) is Route.NEW_THREAD


def test_a_reply_to_sunbae_outside_its_threads_is_a_question() -> None:
    """A Discord Reply to one of Sunbae's answers is answered where it was written."""
    answer = sunbae_answer()
    reference = create_autospec(discord.MessageReference, instance=True, spec_set=True)
    reference.resolved = answer
    message = fake_message("그건 왜 그래?", channel=text_channel(), reference=reference)
    assert route(message) is Route.IN_PLACE


def test_a_reply_to_a_camper_is_not_a_question() -> None:
    """A Reply between campers stays theirs."""
    other = create_autospec(discord.Message, instance=True, spec_set=True)
    other.author = create_autospec(discord.Member, instance=True, spec_set=True)
    other.author.id = OTHER_ID
    reference = create_autospec(discord.MessageReference, instance=True, spec_set=True)
    reference.resolved = other
    message = fake_message("그건 왜 그래?", channel=text_channel(), reference=reference)
    assert route(message) is None


def test_an_answers_ask_id_is_read_from_its_buttons() -> None:
    """The ask an answer carries, for the Reply's context."""
    assert ask_ids_of(sunbae_answer(42)) == [42]


@pytest.mark.parametrize("text", ["감사! 근데 그건 왜 그래?", "thanks, but why?",
                                  "그럼 그건 왜 그래?"])
def test_a_question_with_thanks_is_still_a_question(text: str) -> None:
    """Thanks followed by a question is a question."""
    assert not only_thanks(text)
