"""Who is who on Slack: how people and channels are named in the core, and who maintains."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import SlackSettings

log = logging.getLogger(__name__)

MAINTAINERS_ONLY = (
    "🔒 메인테이너만 쓸 수 있어요. 아무것도 바뀌지 않았어요.\n"
    "(Only maintainers can do this; nothing was changed.)"
)


def api_error(exc: SlackApiError) -> str:
    """What Slack said when a call failed (its error code, else the HTTP status)."""
    data = exc.response.data
    error = data.get("error") if isinstance(data, dict) else None
    return str(error or exc.response.status_code)


def person_key(team_id: str | None, user_id: str) -> str:
    """How a Slack user is named in the core (ask log, votes, note ownership)."""
    return f"slack:{team_id or '-'}/{user_id}"


def place_key(team_id: str | None, channel_id: str | None) -> str:
    """How a Slack channel is named in the ask log."""
    return f"slack:{team_id or '-'}/{channel_id or '-'}"


async def is_maintainer(client: AsyncWebClient, settings: SlackSettings, user_id: str) -> bool:
    """Whether the user is a listed maintainer or in the maintainers' user group.

    The group is read at each check (a member removed from it loses the right at once); when
    Slack cannot be asked, the answer is no.
    """
    if user_id in settings.maintainer_ids:
        return True
    if not settings.maintainer_group:
        return False
    try:
        response = await client.usergroups_users_list(usergroup=settings.maintainer_group)
    except SlackApiError as exc:
        log.warning("could not read the maintainers' user group: %s", api_error(exc))
        return False
    return user_id in (response.get("users") or [])
