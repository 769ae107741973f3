"""Where Sunbae speaks on Slack: channel modes (`/sunbae channel`) and the maintainers' channel
(`/curate maintainers-channel`), both stored per workspace through the facade."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from slack_bolt.async_app import AsyncAck, AsyncBoltContext

from bot.settings import SlackSettings
from bot.slack.facade import SlackCore
from bot.slack.mrkdwn import plain
from bot.slack.people import MAINTAINERS_ONLY, is_maintainer
from bot.slack.replies import tell
from knowledge.errors import StoreUnavailable

if TYPE_CHECKING:
    from bot.slack.transport import Body, SlackTransport

MODES = ("auto", "mention", "off")
MODE_TEXT = {
    "auto": "모든 질문에 답해요 (every top-level question is answered)",
    "mention": "멘션할 때만 답해요 (answered only when Sunbae is mentioned)",
    "off": "답하지 않아요 (Sunbae stays silent there)",
    "default": "기본값으로 (back to the defaults: SUNBAE_SLACK_QA_CHANNEL_IDS decide)",
}
SUNBAE_USAGE = ("`/sunbae channel #channel auto|mention|off|default` (`here` for this "
                "channel)")
CHANNEL_USAGE = ("`/curate maintainers-channel #channel` (`here` for this channel, `off` to "
                 "stop; nothing after it shows the current one)")
_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$|^([CG][A-Z0-9]{2,})$")


def channel_id_in(word: str, here: str | None) -> str | None:
    """The channel a command names: `<#C…|name>` (escaped), a bare id, or `here`."""
    if word.casefold() == "here":
        return here
    match = _CHANNEL.match(word)
    return (match[1] or match[2]) if match else None


class SlackModes:
    """Channel modes by workspace: every message consults them, so they are not read each
    time (a change through `set` is seen at once)."""

    def __init__(self, core: SlackCore) -> None:
        self.core = core
        self._teams: dict[str, dict[str, str]] = {}

    async def stored(self, team: str | None, channel: str) -> str | None:
        """The mode stored for a channel (None: none stored, or the store is down)."""
        key = team or "-"
        if key not in self._teams:
            try:
                self._teams[key] = await self.core.channel_modes(team)
            except StoreUnavailable:
                return None  # the defaults until the store is back; read again next time
        return self._teams[key].get(channel)

    async def set(self, team: str | None, channel: str, mode: str | None) -> None:
        """Store a channel's mode (it survives restarts) and forget the cached modes."""
        await self.core.set_channel_mode(team, channel, mode)
        self._teams.pop(team or "-", None)

    async def mode_of(self, team: str | None, channel: str | None,
                      settings: SlackSettings) -> str | None:
        """The mode of a channel; a Q&A channel with answer-all on and no stored mode is
        `auto`; None: the defaults (answer mentions and Sunbae's threads)."""
        if not channel:
            return None
        stored = await self.stored(team, channel)
        if stored is None and settings.answer_all_in_qa_channels and (
                channel in settings.qa_channel_ids):
            return "auto"
        return stored


async def on_sunbae_command(t: SlackTransport, ack: AsyncAck, body: Body,
                            context: AsyncBoltContext) -> None:
    """/sunbae channel #ch mode: store how Sunbae answers there (maintainers only)."""
    await ack()
    if not await is_maintainer(t.client, t.settings, context.user_id or ""):
        await tell(t, context, MAINTAINERS_ONLY)
        return
    words = (body.get("text") or "").split()
    channel = channel_id_in(words[1], body.get("channel_id")) if len(words) == 3 else None
    mode = words[2].casefold() if len(words) == 3 else ""
    if words[:1] != ["channel"] or channel is None or mode not in (*MODES, "default"):
        await tell(t, context, SUNBAE_USAGE)
        return
    try:
        await t.modes.set(context.team_id, channel, None if mode == "default" else mode)
    except StoreUnavailable as exc:
        await tell(t, context, str(exc))
        return
    await tell(t, context, f"<#{channel}>: `{mode}` · {MODE_TEXT[mode]}")


async def maintainers_channel(t: SlackTransport, context: AsyncBoltContext, body: Body,
                              word: str) -> None:
    """/curate maintainers-channel [#ch|here|off]: store, clear or show the workspace's
    maintainers' channel (the caller has checked the maintainer)."""
    team = context.team_id
    if not word:
        stored = await t.core.maintainers_channel(team)
        shown = stored or t.settings.maintainer_channel_id
        where = f"<#{shown}>" if shown else "nowhere (only /unanswered)"
        origin = "" if stored or not shown else " (the default, SUNBAE_SLACK_MAINTAINER_CHANNEL_ID)"
        await tell(t, context, f"📮 Cards go to {where}{origin}.\n{CHANNEL_USAGE}")
        return
    if word.casefold() in ("off", "none"):
        await t.core.set_maintainers_channel(team, None)
        default = t.settings.maintainer_channel_id
        rest = f"the default <#{default}>" if default else "no channel: only /unanswered"
        await tell(t, context, f"🔕 Stored channel cleared; cards go to {rest}.")
        return
    channel = channel_id_in(word, body.get("channel_id"))
    if channel is None:
        await tell(t, context, f"⚠️ `{plain(word)}` is not a channel. {CHANNEL_USAGE}")
        return
    await t.core.set_maintainers_channel(team, channel)
    await tell(t, context, f"📮 <#{channel}> 에 답하지 못한 질문과 👎 를 보낼게요. "
                           "(Abstentions and 👎 will be posted there; invite Sunbae to it.)")
