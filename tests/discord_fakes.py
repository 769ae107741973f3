"""Spec'd fakes of Discord objects (spec_set: a typo raises instead of passing silently)."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock, create_autospec

import discord

from bot.discord_app import SunbaeBot

MAINTAINER_ROLE = "Sunbae Maintainers"
MAINTAINER_ROLE_ID = 800  # the id `fake_member` gives its first role
GUILD_ID = 4242
GUILD_SPACE = f"discord:{GUILD_ID}"  # the space of the fake interactions' server


def fake_role(name: str, role_id: int = 777) -> discord.Role:
    """A spec'd role."""
    role = create_autospec(discord.Role, instance=True, spec_set=True)
    role.name, role.id = name, role_id
    return role


def fake_member(member_id: int = 1001, name: str = "camper", *, manage_guild: bool = False,
                roles: tuple[str, ...] = ()) -> discord.Member:
    """A spec'd server member with the given permission and role names."""
    member = create_autospec(discord.Member, instance=True, spec_set=True)
    member.id, member.name, member.display_name, member.bot = member_id, name, name, False
    member.guild_permissions = discord.Permissions(manage_guild=manage_guild)
    member.roles = [fake_role(role, 800 + n) for n, role in enumerate(roles)]
    return member


def camper(member_id: int = 1001) -> discord.Member:
    """A member with no special role."""
    return fake_member(member_id, f"camper{member_id}")


def maintainer(member_id: int = 2002) -> discord.Member:
    """A member with the configured maintainer role."""
    return fake_member(member_id, "maintainer", roles=(MAINTAINER_ROLE,))


def fake_interaction(bot: SunbaeBot, user: discord.Member, *,
                     guild_id: int | None = GUILD_ID, channel_id: int = 555) -> Any:
    """A spec'd interaction whose response remembers whether it was used."""
    interaction = create_autospec(discord.Interaction, instance=True, spec_set=True)
    interaction.client = bot
    interaction.user = user
    interaction.guild_id = guild_id
    interaction.channel_id = channel_id
    response = create_autospec(discord.InteractionResponse, instance=True, spec_set=True)
    response.is_done.side_effect = lambda: any(
        call.await_count for call in (response.defer, response.send_message, response.send_modal)
    )
    interaction.response = response
    interaction.followup = create_autospec(discord.Webhook, instance=True, spec_set=True)
    return interaction


def fake_attachment(filename: str, data: bytes, *, size: int | None = None) -> discord.Attachment:
    """A spec'd attachment whose download returns `data`."""
    attachment = create_autospec(discord.Attachment, instance=True, spec_set=True)
    attachment.filename = filename
    attachment.size = len(data) if size is None else size
    attachment.read = AsyncMock(return_value=data)
    return attachment


def fill(text_input: discord.ui.TextInput, value: str) -> None:
    """Type into a modal's text input, the way discord.py applies a submitted form."""
    text_input._refresh_state(None, {"value": value})  # type: ignore[arg-type]


def sent_texts(send: AsyncMock) -> list[str]:
    """Every content and embed text passed to a mocked send, for 'never says X' checks."""
    texts: list[str] = []
    for call in send.await_args_list:
        texts.extend(str(arg) for arg in call.args)
        embeds = list(call.kwargs.get("embeds") or []) + (
            [call.kwargs["embed"]] if call.kwargs.get("embed") else [])
        for embed in embeds:
            texts.append(str(embed.to_dict()))
        if call.kwargs.get("content"):
            texts.append(call.kwargs["content"])
    return texts


def sent_embeds(send: AsyncMock) -> list[discord.Embed]:
    """Every embed passed to a mocked send, in order."""
    embeds: list[discord.Embed] = []
    for call in send.await_args_list:
        embeds.extend(call.kwargs.get("embeds") or [])
        if call.kwargs.get("embed"):
            embeds.append(call.kwargs["embed"])
    return embeds
