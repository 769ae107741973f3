"""The Slack transport: the bolt app, its Web API client, and how every listener is run."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import SlackSettings
from bot.slack.facade import SlackCore
from knowledge.core import Sunbae

log = logging.getLogger("sunbae.slack")

Body = dict[str, Any]
Handler = Callable[["SlackTransport", AsyncAck, Body, AsyncBoltContext], Awaitable[None]]
Listener = Callable[[AsyncAck, Body, AsyncBoltContext], Awaitable[None]]


def web_client(settings: SlackSettings, *, base_url: str | None = None) -> AsyncWebClient:
    """The bot's Web API client; a call Slack answers 429 is retried after its Retry-After."""
    token = settings.bot_token.get_secret_value() if settings.bot_token else None
    client = AsyncWebClient(token=token, base_url=base_url or AsyncWebClient.BASE_URL)
    client.retry_handlers.append(
        AsyncRateLimitErrorRetryHandler(max_retry_count=settings.rate_limit_retries))
    return client


class SlackTransport:
    """Sunbae on Slack: listeners that acknowledge at once and then call the core."""

    def __init__(self, core: Sunbae, settings: SlackSettings,
                 client: AsyncWebClient | None = None) -> None:
        self.core = SlackCore(core)
        self.settings = settings
        self.client = client or web_client(settings)
        # process_before_response=False: Slack gets its ack at once, the work goes on after.
        self.app = AsyncApp(client=self.client, process_before_response=False,
                            request_verification_enabled=False,  # Socket Mode: nothing to sign
                            logger=log)
        # Threads Sunbae answered in since it started: a follow-up there skips the
        # conversations.replies call (rate-limited); older threads are still found through it.
        self.answered_threads: OrderedDict[str, None] = OrderedDict()
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()
        from bot.slack.cards import SlackCards
        from bot.slack.channels import SlackModes
        from bot.slack.listeners import register

        self.cards = SlackCards(self)
        self.modes = SlackModes(self.core)

        register(self)

    @property
    def bot_token(self) -> str:
        """The bot token, for downloading private files (never logged)."""
        return self.client.token or ""

    def listener(self, handler: Handler) -> tuple[Listener, list[Callable[..., Any]]]:
        """`handler` as a bolt listener and its middleware, counted while it runs (bolt starts
        listeners as tasks of their own, after the ack)."""
        async def started(next_: Callable[[], Awaitable[None]]) -> None:
            # Counted here, before bolt schedules the listener, so `settled` cannot miss it.
            self._running += 1
            self._idle.clear()
            await next_()

        async def run(ack: AsyncAck, body: Body, context: AsyncBoltContext) -> None:
            try:  # an error propagates to bolt, which logs it with its traceback
                await handler(self, ack, body, context)
            finally:
                self._running -= 1
                if self._running <= 0:
                    self._running = 0
                    self._idle.set()

        return run, [started]

    def remember_thread(self, channel: str, thread_ts: str) -> None:
        """Note a thread Sunbae answered in (the latest 10 000 are kept)."""
        self.answered_threads[f"{channel}/{thread_ts}"] = None
        while len(self.answered_threads) > 10_000:
            self.answered_threads.popitem(last=False)

    async def settled(self) -> None:
        """Wait until every listener started so far has finished (for tests and shutdown)."""
        await self._idle.wait()
