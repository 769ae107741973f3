"""Channel modes and forum posts: `/sunbae channel` (maintainers, stored per space, survives a
restart), `off` / `auto` channels, and new posts in `auto` forums answered and tagged."""

from __future__ import annotations

from typing import Any
from unittest.mock import create_autospec

import discord
import discord.ext.test as dpytest

from bot.discord_app import SunbaeBot
from bot.exts.channels._cog import ChannelsCog
from bot.exts.channels._forum import ANSWERED_TAG, HUMAN_TAG
from bot.utils.checks import MAINTAINERS_ONLY
from tests.discord_fakes import (
    GUILD_ID,
    GUILD_SPACE,
    camper,
    fake_interaction,
    maintainer,
    sent_embeds,
)

pytest_plugins = ["tests.discord_fixtures"]

QUESTION = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"
FORUM_ID = 3131


def cog_of(bot: SunbaeBot) -> ChannelsCog:
    """The loaded channels cog."""
    cog = bot.get_cog("ChannelsCog")
    assert isinstance(cog, ChannelsCog)
    return cog


def fake_channel(channel_id: int = FORUM_ID) -> discord.TextChannel:
    """A spec'd text channel, as the command's option resolves it."""
    channel = create_autospec(discord.TextChannel, instance=True, spec_set=True)
    channel.id = channel_id
    return channel


def fake_forum_post(title: str, body: str, *, tags: tuple[str, ...] = ("Answered by Sunbae",
                                                                        "Needs a human"),
                    starter_mentions: tuple[int, ...] = ()) -> Any:
    """A spec'd new post (thread) in a forum with the given tags, and its starter message."""
    forum = create_autospec(discord.ForumChannel, instance=True, spec_set=True)
    forum.id = FORUM_ID
    forum.available_tags = [discord.ForumTag(name=name) for name in tags]
    guild = create_autospec(discord.Guild, instance=True, spec_set=True)
    guild.id = GUILD_ID
    starter = create_autospec(discord.Message, instance=True, spec_set=True)
    starter.content, starter.raw_mentions = body, list(starter_mentions)
    starter.author = camper()
    thread = create_autospec(discord.Thread, instance=True, spec_set=True)
    thread.id, thread.name, thread.owner_id, thread.parent_id = 5151, title, 1001, FORUM_ID
    thread.parent, thread.guild, thread.starter_message = forum, guild, starter
    return thread


async def set_mode(bot: SunbaeBot, mode: str, *, user: discord.Member | None = None,
                   channel_id: int = FORUM_ID) -> Any:
    """`/sunbae channel` as a maintainer (or `user`)."""
    cog = cog_of(bot)
    interaction = fake_interaction(bot, user or maintainer())
    await cog.channel.callback(cog, interaction, channel=fake_channel(channel_id), mode=mode)
    return interaction


async def test_a_camper_cannot_set_a_mode(sunbae_bot: SunbaeBot) -> None:
    """Maintainers only: a camper is refused and nothing is stored."""
    interaction = await set_mode(sunbae_bot, "auto", user=camper())
    assert interaction.response.send_message.await_args.args[0] == MAINTAINERS_ONLY
    assert sunbae_bot.core.channel_modes(space=GUILD_SPACE) == {}


async def test_a_mode_is_stored_per_space_and_survives_a_restart(sunbae_bot: SunbaeBot) -> None:
    """Stored in the database for the server's space; a new cog (a restart) reads it back."""
    await set_mode(sunbae_bot, "off")
    assert sunbae_bot.core.channel_modes(space=GUILD_SPACE) == {str(FORUM_ID): "off"}
    assert sunbae_bot.core.channel_modes(space="discord:1") == {}
    restarted = ChannelsCog(sunbae_bot)
    assert await restarted.modes.stored(GUILD_SPACE, FORUM_ID) == "off"


async def test_a_new_post_in_an_auto_forum_is_answered_and_tagged(sunbae_bot: SunbaeBot) -> None:
    """Answered inside the post from its title and body, tagged "answered by Sunbae"."""
    await set_mode(sunbae_bot, "auto")
    post = fake_forum_post("두런두런 행사", "마스터님이 무슨 얘기 해주셨어?")
    await cog_of(sunbae_bot).on_thread_create(post)
    embeds = sent_embeds(post.send)
    assert embeds and any("Day 8" in field.name for field in embeds[-1].fields)
    [tag] = post.add_tags.await_args.args
    assert tag.name.casefold() == ANSWERED_TAG


async def test_a_post_sunbae_cannot_answer_is_tagged_for_a_human(sunbae_bot: SunbaeBot) -> None:
    """An abstention in the post is tagged "needs a human"."""
    await set_mode(sunbae_bot, "auto")
    post = fake_forum_post("쿠버네티스 파드 오토스케일링", "HPA 설정은 어떻게 해?")
    await cog_of(sunbae_bot).on_thread_create(post)
    assert post.send.await_count >= 1
    [tag] = post.add_tags.await_args.args
    assert tag.name.casefold() == HUMAN_TAG


async def test_a_forum_without_the_tags_is_answered_untagged(sunbae_bot: SunbaeBot) -> None:
    """Tags are optional: none on the forum, none set."""
    await set_mode(sunbae_bot, "auto")
    post = fake_forum_post("두런두런 행사", "마스터님이 무슨 얘기 해주셨어?", tags=())
    await cog_of(sunbae_bot).on_thread_create(post)
    assert sent_embeds(post.send)
    post.add_tags.assert_not_awaited()


async def test_posts_in_a_mention_forum_are_left_alone(sunbae_bot: SunbaeBot) -> None:
    """`mention` (or no mode): a new post is not answered on its own."""
    await set_mode(sunbae_bot, "mention")
    post = fake_forum_post("두런두런 행사", "마스터님이 무슨 얘기 해주셨어?")
    await cog_of(sunbae_bot).on_thread_create(post)
    post.send.assert_not_awaited()


async def test_a_qa_forum_answers_posts_without_a_stored_mode(sunbae_bot: SunbaeBot) -> None:
    """A forum in the Q&A channels with answer-all on behaves as `auto`."""
    sunbae_bot.discord_settings.qa_channel_ids = [FORUM_ID]
    sunbae_bot.discord_settings.answer_all_in_qa_channels = True
    post = fake_forum_post("두런두런 행사", "마스터님이 무슨 얘기 해주셨어?")
    await cog_of(sunbae_bot).on_thread_create(post)
    assert sent_embeds(post.send)


async def test_an_off_channel_ignores_even_a_mention(dpy_bot: SunbaeBot) -> None:
    """`off`: Sunbae stays silent in that channel."""
    channel = dpytest.get_config().channels[0]
    space = f"discord:{channel.guild.id}"
    await cog_of(dpy_bot).modes.set(space, channel.id, "off")
    await dpytest.message(f"<@{dpy_bot.user.id}> {QUESTION}", channel=channel)
    assert dpytest.verify().message().nothing()


async def test_an_auto_channel_answers_without_a_mention(dpy_bot: SunbaeBot) -> None:
    """`auto`: a plain question is answered in a new thread."""
    channel = dpytest.get_config().channels[0]
    space = f"discord:{channel.guild.id}"
    await cog_of(dpy_bot).modes.set(space, channel.id, "auto")
    await dpytest.message(QUESTION, channel=channel)
    assert dpytest.get_message().channel.id == dpytest.get_config().guilds[0].threads[0].id
