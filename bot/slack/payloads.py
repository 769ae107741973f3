"""What a button click carries: the button, the ask ids in its value, the message it is on."""

from __future__ import annotations

from typing import Any

Body = dict[str, Any]


def clicked(body: Body) -> tuple[str, list[int]]:
    """The clicked button's action id and the ask ids in its value."""
    action = body["actions"][0]
    ids = [int(part) for part in str(action.get("value") or "").split(",") if part.isdigit()]
    return action["action_id"], ids


def channel_of(body: Body) -> str | None:
    """The channel of the message the button is on."""
    return (body.get("channel") or {}).get("id") or body.get("container", {}).get("channel_id")


def message_ts(body: Body) -> str | None:
    """The timestamp of the message the button is on (None for a button in a modal)."""
    ts = (body.get("container") or {}).get("message_ts") or (body.get("message") or {}).get("ts")
    return str(ts) if ts else None
