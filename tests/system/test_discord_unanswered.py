"""/unanswered on Discord and `sunbae unanswered` show the same worklist, grouped by meaning."""

from __future__ import annotations

import argparse
import re

import pytest

from bot.cli import asking, opening
from bot.discord_app import SunbaeBot
from index.embedder import Embedder
from knowledge import startup
from tests.discord_fakes import fake_interaction, maintainer

pytest_plugins = ["tests.discord_fixtures"]

# Two wordings of one question the journals do not answer, and a question of its own.
SAME_QUESTION = ["쿠버네티스 파드 오토스케일링은 어떻게 설정해?",
                 "쿠버네티스에서 파드 오토스케일링 설정하는 방법 알려줘"]
OTHER_QUESTION = "How do I configure Kubernetes pod autoscaling?"
CLI_LINE = re.compile(r"^(\d+)× (.+)  \(asks ([\d,]+)\)$")


async def discord_groups(bot: SunbaeBot) -> list[tuple[str, list[int]]]:
    """(question, ask ids) of each group `/unanswered` offers a maintainer to answer."""
    interaction = fake_interaction(bot, maintainer())
    cog = bot.get_cog("UnansweredCog")
    await cog.unanswered.callback(cog, interaction)
    menu = interaction.followup.send.await_args.kwargs["view"].menu
    return [(group.question, list(group.ask_ids)) for group in menu.groups.values()]


def cli_groups(bot: SunbaeBot, embedder: Embedder, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str]) -> list[tuple[str, list[int]]]:
    """(question, ask ids) of each line `sunbae unanswered` prints over the same store."""
    # The command opens its own core, as from a shell; it is pointed at the bot's store and
    # handed the model this test run already loaded.
    monkeypatch.setattr(opening, "get_settings", lambda: bot.core.settings)
    monkeypatch.setattr(startup, "load_embedder", lambda _settings: embedder)
    capsys.readouterr()
    assert asking.cmd_unanswered(argparse.Namespace(limit=50)) == 0
    groups = []
    for line in capsys.readouterr().out.splitlines():
        count, question, ids = CLI_LINE.match(line).groups()  # type: ignore[union-attr]
        groups.append((question, [int(i) for i in ids.split(",")]))
        assert int(count) == len(groups[-1][1])
    return groups


async def test_discord_and_cli_show_the_same_groups_by_meaning(
    sunbae_bot: SunbaeBot, embedder: Embedder, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Two wordings of one unanswered question are one group in both, the other its own."""
    asked = {}
    for question in [*SAME_QUESTION, OTHER_QUESTION]:
        answer = sunbae_bot.core.ask(question, user="camper", channel="discord")
        assert answer.kind == "abstain"
        asked[question] = answer.ask_id
    on_discord = await discord_groups(sunbae_bot)
    on_cli = cli_groups(sunbae_bot, embedder, monkeypatch, capsys)
    assert on_discord == on_cli
    assert [sorted(ids) for _, ids in on_cli] == [  # most asked first
        sorted(asked[q] for q in SAME_QUESTION), [asked[OTHER_QUESTION]]]
