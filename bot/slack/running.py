"""Running the Slack app over Socket Mode (an outbound websocket: no public URL needed)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
from typing import TYPE_CHECKING

from bot.settings import SlackSettings
from bot.utils.log_redaction import install_token_redaction

if TYPE_CHECKING:
    from knowledge.core import Sunbae

log = logging.getLogger("sunbae.slack")

SHUTDOWN_GRACE_SECONDS = 30
MISSING_TOKENS = ("error: set SLACK_BOT_TOKEN (xoxb-…) and SLACK_APP_TOKEN (xapp-…) "
                  "(environment or .env) to run the Slack app")


async def serve_slack(core: Sunbae, settings: SlackSettings) -> None:
    """Connect and answer until cancelled; the tokens never reach a log line."""
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from bot.slack.transport import SlackTransport

    assert settings.bot_token is not None and settings.app_token is not None
    for token in (settings.bot_token, settings.app_token):
        install_token_redaction(token.get_secret_value())
    transport = SlackTransport(core, settings)
    # Fails fast (SlackApiError) on a wrong bot token, instead of at the first question.
    me = await transport.client.auth_test()
    log.info("connected as %s to %s", me.get("user"), me.get("team"))
    handler = AsyncSocketModeHandler(transport.app, settings.app_token.get_secret_value())
    try:
        await handler.start_async()
    finally:
        await handler.close_async()
        with contextlib.suppress(TimeoutError):  # answers under way get a moment to finish
            await asyncio.wait_for(transport.settled(), SHUTDOWN_GRACE_SECONDS)
            # Queued maintainers' cards go out now rather than be dropped with the process.
            await asyncio.wait_for(transport.cards.batches.flush_all(), SHUTDOWN_GRACE_SECONDS)
        transport.cards.batches.stop()


def run_slack(core: Sunbae, settings: SlackSettings | None = None) -> int:
    """Run the Slack app until stopped: 0 on a clean stop, 1 when Slack refused to start,
    2 without the tokens."""
    from slack_sdk.errors import SlackApiError

    from bot.slack.people import api_error

    settings = settings or SlackSettings()
    if not settings.configured:
        print(MISSING_TOKENS, file=sys.stderr)
        return 2
    core.follow()  # a CLI ingest or another transport's change reaches Slack within seconds
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve_slack(core, settings))
    except SlackApiError as exc:
        log.error("Slack refused to start the app: %s (check both tokens and the manifest)",
                  api_error(exc))
        return 1
    return 0


def start_slack_thread(core: Sunbae, settings: SlackSettings) -> threading.Thread:
    """The Slack app on a thread of its own, beside a transport that owns the main thread
    (the Discord bot); it stops with the process."""
    core.follow()  # here, not on two threads at once
    thread = threading.Thread(target=run_slack, args=(core, settings), name="sunbae-slack",
                              daemon=True)
    thread.start()
    return thread
