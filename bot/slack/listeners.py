"""Which Slack event, command, button and modal goes to which handler."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.slack import asking, buttons, channels, curating, ingest, reasons
from bot.slack.blocks import MORE_SOURCES, SAVE_CURATED, VOTE_DOWN, VOTE_UP
from bot.slack.modals import CURATED, INGEST, PROMOTE

if TYPE_CHECKING:
    from bot.slack.transport import Handler, SlackTransport


def register(t: SlackTransport) -> None:
    """Register every handler on the transport's app."""
    app = t.app
    routes: list[tuple[Callable[..., Any], str, Handler]] = [
        (app.event, "app_mention", asking.on_mention),
        (app.event, "message", asking.on_message),
        (app.command, "/ask", asking.on_ask_command),
        (app.command, "/ingest", ingest.on_ingest_command),
        (app.command, "/curate", curating.on_curate_command),
        (app.command, "/unanswered", curating.on_unanswered_command),
        (app.command, "/stats", curating.on_stats_command),
        (app.command, "/sunbae", channels.on_sunbae_command),
        (app.action, VOTE_UP, buttons.on_vote),
        (app.action, VOTE_DOWN, buttons.on_vote),
        (app.action, MORE_SOURCES, buttons.on_more_sources),
        (app.action, SAVE_CURATED, buttons.on_save_curated),
        (app.view_submission, INGEST, ingest.on_ingest_submit),
        (app.view_submission, CURATED, curating.on_curated_submit),
        (app.view_submission, PROMOTE, curating.on_promote_submit),
        (app.view_submission, reasons.REASON_MODAL, reasons.on_reason_submit),
        *((app.action, action_id, reasons.on_reason) for action_id in reasons.reason_action_ids()),
    ]
    for kind, key, handler in routes:
        listener, middleware = t.listener(handler)
        kind(key, middleware=middleware)(listener)
