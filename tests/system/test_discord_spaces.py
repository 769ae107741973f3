"""Servers are spaces: one server's notes and curated answers are its own, maintainers are
checked per server by role id, DMs and other servers are refused or ignored."""

from __future__ import annotations

import logging
from unittest.mock import create_autospec

import discord
import pytest
from pydantic import ValidationError

from bot.answer_labels import LABELS
from bot.discord_app import SunbaeBot
from bot.exts.ask._buttons import SaveCuratedButton
from bot.settings import DiscordSettings
from bot.utils.checks import is_maintainer
from bot.utils.promote import PromoteModal
from bot.utils.spaces import DM_REFUSED
from tests.discord_fakes import (
    GUILD_ID,
    GUILD_SPACE,
    MAINTAINER_ROLE,
    MAINTAINER_ROLE_ID,
    camper,
    fake_attachment,
    fake_interaction,
    fake_member,
    fake_role,
    sent_embeds,
    sent_texts,
)

pytest_plugins = ["tests.discord_fixtures"]

OTHER_GUILD = 5353
NOTE = ("# Week 1\n\n## Day 1 (11/01)\n쿠버네티스 HPA는 파드 오토스케일링을 CPU 사용률 목표로 "
        "설정한다. kubectl autoscale 명령으로 최소와 최대 파드 수를 정했다.\n").encode()
QUESTION = "쿠버네티스 파드 오토스케일링은 어떻게 설정해?"
COLLATE = "DataLoader의 collate_fn은 무엇을 하나요?"


async def upload(bot: SunbaeBot, guild_id: int = GUILD_ID) -> None:
    """A camper of `guild_id` adds the HPA note with /ingest."""
    cog = bot.get_cog("IngestCog")
    interaction = fake_interaction(bot, camper(), guild_id=guild_id)
    await cog.ingest.callback(cog, interaction, file=fake_attachment("hpa.md", NOTE))


async def ask(bot: SunbaeBot, guild_id: int | None, question: str = QUESTION):  # type: ignore[no-untyped-def]
    """/ask from a server (or a DM when None); returns the interaction."""
    cog = bot.get_cog("AskCog")
    interaction = fake_interaction(bot, camper(1002), guild_id=guild_id)
    await cog.ask.callback(cog, interaction, question=question)
    return interaction


def mentions_note(interaction) -> bool:  # type: ignore[no-untyped-def]
    """Whether anything sent names, cites or quotes the HPA note."""
    sends = (interaction.followup.send, interaction.response.send_message)
    texts = [text for send in sends for text in sent_texts(send)]
    texts += [f.name for send in sends for e in sent_embeds(send) for f in e.fields]
    return any(mark in text for text in texts for mark in ("hpa.md", "kubectl", "Week 1 · Day 1"))


async def test_a_note_of_server_a_is_not_shown_or_cited_in_server_b(sunbae_bot: SunbaeBot) -> None:
    """/source and /ask in server B never show server A's note; in A they do."""
    await upload(sunbae_bot)
    cog = sunbae_bot.get_cog("SourceCog")
    in_b = fake_interaction(sunbae_bot, camper(), guild_id=OTHER_GUILD)
    await cog.source.callback(cog, in_b, day="Day 1")
    assert not mentions_note(in_b)
    in_a = fake_interaction(sunbae_bot, camper(), guild_id=GUILD_ID)
    await cog.source.callback(cog, in_a, day="Day 1")
    assert any("kubectl" in text for text in sent_texts(in_a.response.send_message))
    assert not mentions_note(await ask(sunbae_bot, OTHER_GUILD))
    assert mentions_note(await ask(sunbae_bot, GUILD_ID))


async def test_a_dm_without_a_dm_space_is_refused(sunbae_bot: SunbaeBot) -> None:
    """/ask in a DM gets the bilingual refusal and no answer."""
    interaction = await ask(sunbae_bot, None)
    assert sent_texts(interaction.response.send_message) == [DM_REFUSED]
    assert not interaction.followup.send.await_count


@pytest.mark.parametrize(("question", "language"),
                         [("collate_fn 이 뭐야?", "ko"), ("What is collate_fn?", "en")])
async def test_a_dm_message_is_refused_in_its_language(sunbae_bot: SunbaeBot, question: str,
                                                       language: str) -> None:
    """A question sent as a DM, with no DM space, is refused in its own language only and
    nothing is logged."""
    bot_user = create_autospec(discord.ClientUser, instance=True, spec_set=True)
    bot_user.id = 4242
    sunbae_bot._connection.user = bot_user  # the bot's own identity, as after login
    message = create_autospec(discord.Message, instance=True, spec_set=True)
    message.content, message.guild, message.reference = question, None, None
    message.channel = create_autospec(discord.DMChannel, instance=True, spec_set=True)
    message.author, message.type, message.raw_mentions = camper(), discord.MessageType.default, []
    asks = sunbae_bot.core.stats(space=GUILD_SPACE).asks
    await sunbae_bot.get_cog("AskCog").on_message(message)
    message.reply.assert_awaited_once()
    assert message.reply.await_args.args == (LABELS[language].dm_refused,)
    assert sunbae_bot.core.stats(space=GUILD_SPACE).asks == asks


async def test_a_dm_is_answered_from_the_dm_space(sunbae_bot: SunbaeBot) -> None:
    """With SUNBAE_DISCORD_DM_SPACE set to server A's space, a DM is answered from A."""
    await upload(sunbae_bot)
    sunbae_bot.discord_settings.dm_space = GUILD_SPACE
    assert mentions_note(await ask(sunbae_bot, None))


async def test_a_server_b_admin_cannot_retire_server_a_curated_answer(
    sunbae_bot: SunbaeBot,
) -> None:
    """/curate retire by a Manage-Server member of B retires it for B only."""
    cog = sunbae_bot.get_cog("CurateCog")
    admin_b = fake_member(3003, "admin-b", manage_guild=True)
    await cog.retire.callback(cog, fake_interaction(sunbae_bot, admin_b, guild_id=OTHER_GUILD),
                              slug="collate-fn")
    core = sunbae_bot.core
    assert core.get_curated("collate-fn", space=GUILD_SPACE).active
    assert core.ask(COLLATE, space=GUILD_SPACE, record=False).curated_slug == "collate-fn"
    assert not core.get_curated("collate-fn", space=f"discord:{OTHER_GUILD}").active


async def test_a_server_b_admin_cannot_save_server_a_answer_as_curated(
    sunbae_bot: SunbaeBot,
) -> None:
    """"Save as curated" on A's ask from B opens no form, and a form for A submitted from B
    saves nothing."""
    asked = sunbae_bot.core.ask(QUESTION, space=GUILD_SPACE).ask_id
    assert asked is not None
    admin_b = fake_member(3003, "admin-b", manage_guild=True)
    click = fake_interaction(sunbae_bot, admin_b, guild_id=OTHER_GUILD)
    await SaveCuratedButton(asked).callback(click)
    assert not click.response.send_modal.await_count
    before = sunbae_bot.core.list_curated(space=GUILD_SPACE)
    modal = PromoteModal(ask_ids=[asked], question=QUESTION, answer="B가 쓴 답", space=GUILD_SPACE)
    await modal.on_submit(fake_interaction(sunbae_bot, admin_b, guild_id=OTHER_GUILD))
    assert sunbae_bot.core.list_curated(space=GUILD_SPACE) == before
    assert sunbae_bot.core.ask(QUESTION, space=GUILD_SPACE, record=False).kind != "curated"


def test_a_role_named_like_the_maintainer_role_id_is_not_a_maintainer(
    discord_settings: DiscordSettings,
) -> None:
    """Only the role id counts: a role named "800" or "Sunbae Maintainers" with another id
    does not."""
    member = fake_member(4004, "sneaky")
    member.roles = [fake_role(str(MAINTAINER_ROLE_ID), 901), fake_role(MAINTAINER_ROLE, 902)]
    assert not is_maintainer(member, discord_settings)
    member.roles = [fake_role("anything", MAINTAINER_ROLE_ID)]
    assert is_maintainer(member, discord_settings)


def test_a_maintainer_role_name_is_refused_at_start() -> None:
    """SUNBAE_DISCORD_MAINTAINER_ROLE takes an id; a name stops the bot with a clear error."""
    with pytest.raises(ValidationError, match="role id"):
        DiscordSettings(_env_file=None, maintainer_role="Sunbae Maintainers")


def test_maintainer_commands_are_hidden_from_campers(sunbae_bot: SunbaeBot) -> None:
    """Every maintainer-only command carries default permissions (Manage Server), as sent to
    Discord; /ask and "Ask Sunbae" do not."""
    commands = {c.name: c for c in sunbae_bot.tree.get_commands()}
    for name in ("curate", "unanswered", "stats", "sunbae", "Save as curated answer"):
        permissions = commands[name].default_permissions
        assert permissions is not None and permissions.manage_guild, name
        sent = commands[name].to_dict(sunbae_bot.tree)
        assert int(sent["default_member_permissions"]) == permissions.value, name
        assert sent.get("dm_permission") is False or sent.get("contexts") == [0], name
    for name in ("ask", "Ask Sunbae"):
        assert commands[name].default_permissions is None


async def test_a_server_not_allowed_is_ignored_and_logged_once(
    sunbae_bot: SunbaeBot, caplog: pytest.LogCaptureFixture,
) -> None:
    """With SUNBAE_DISCORD_ALLOWED_GUILD_IDS, another server gets no reply, logged once."""
    sunbae_bot.discord_settings.allowed_guild_ids = [GUILD_ID]
    with caplog.at_level(logging.WARNING, logger="bot.utils.spaces"):
        first = await ask(sunbae_bot, 6464)
        second = await ask(sunbae_bot, 6464)
    for interaction in (first, second):
        assert not interaction.response.send_message.await_count
        assert not interaction.followup.send.await_count
    assert sum("6464" in r.getMessage() for r in caplog.records) == 1
    assert sent_embeds((await ask(sunbae_bot, GUILD_ID)).followup.send)
