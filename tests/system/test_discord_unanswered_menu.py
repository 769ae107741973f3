"""/unanswered lists no more groups than its menu can offer (a Discord menu holds 25)."""

from __future__ import annotations

from unittest.mock import patch

from bot.discord_app import SunbaeBot
from bot.exts.curate._unanswered import MENU_LIMIT, UnansweredView
from tests.discord_fakes import fake_interaction, maintainer

pytest_plugins = ["tests.discord_fixtures"]


async def test_the_list_and_the_menu_hold_the_same_groups(sunbae_bot: SunbaeBot) -> None:
    """The worklist is read with the menu's limit, so every listed group can be picked."""
    core = sunbae_bot.core
    for question in ("쿠버네티스 파드는 어떻게 배포해?", "GraphQL 스키마는 어떻게 짜?"):
        assert core.ask(question, user="discord:1").kind == "abstain"
    cog = sunbae_bot.get_cog("UnansweredCog")
    interaction = fake_interaction(sunbae_bot, maintainer())
    with patch.object(core, "unanswered", wraps=core.unanswered) as read:
        await cog.unanswered.callback(cog, interaction)
    assert read.call_args.kwargs["limit"] == MENU_LIMIT
    view = interaction.followup.send.await_args_list[-1].kwargs["view"]
    assert isinstance(view, UnansweredView)
    assert len(view.menu.options) == len(core.unanswered(limit=MENU_LIMIT)) == 2
