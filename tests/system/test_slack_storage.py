"""What Slack stores per workspace, on SQLite and PostgreSQL: channel modes and the maintainers'
channel, each under `slack:<team id>` and read back by a fresh reader (as after a restart)."""

from __future__ import annotations

from bot.settings import SlackSettings
from bot.slack.channels import SlackModes
from bot.slack.facade import SlackCore
from knowledge.core import Sunbae


async def test_channel_modes_are_kept_per_workspace(core: Sunbae) -> None:
    """Two workspaces' modes never mix; `None` takes a channel back to the defaults."""
    writer = SlackModes(SlackCore(core))
    await writer.set("T1", "C1", "auto")
    await writer.set("T1", "C2", "off")
    await writer.set("T2", "C1", "mention")
    await writer.set("T1", "C2", None)
    reader = SlackModes(SlackCore(core))
    settings = SlackSettings(_env_file=None)
    assert [await reader.mode_of("T1", c, settings) for c in ("C1", "C2")] == ["auto", None]
    assert await reader.mode_of("T2", "C1", settings) == "mention"
    assert core.channel_modes(space="slack:T1") == {"C1": "auto"}


async def test_maintainers_channel_is_kept_per_workspace(core: Sunbae) -> None:
    """Each workspace has its own maintainers' channel; clearing one leaves the other."""
    slack = SlackCore(core)
    await slack.set_maintainers_channel("T1", "CM1")
    await slack.set_maintainers_channel("T2", "CM2")
    await slack.set_maintainers_channel("T1", None)
    assert [await slack.maintainers_channel(t) for t in ("T1", "T2")] == [None, "CM2"]
    assert core.maintainers_channel(space="slack:T2") == "CM2"
