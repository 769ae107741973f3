"""A local mock of the Slack Web API and the payloads Slack sends, for the Slack tests.

Events and actions are pushed the way slack-bolt's own tests do, with
`app.async_dispatch(AsyncBoltRequest(body=…, mode="socket_mode"))`; every Web API call the app
makes lands on the mock (aiohttp on 127.0.0.1), which records it. No network is used.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.slack.transport import SlackTransport

BOT_TOKEN = "xoxb-test-token"
BOT_USER = "UBOT"
TEAM = "T1"
SPACE = f"slack:{TEAM}"  # the space of the mock workspace (bot.slack.facade.space_of)
OTHER_TEAM = "T2"
CAMPER = "UCAMPER"
MAINTAINER = "UMAINT"
CHANNEL = "CQA"
MAINTAINERS_CHANNEL = "CMAINT"


@dataclass
class Call:
    """One Web API call the app made."""

    method: str
    args: dict[str, Any]
    authorization: str | None


@dataclass
class MockSlack:
    """A mock of the Slack Web API: records calls, answers like Slack, fails when told to."""

    url: str = ""
    calls: list[Call] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)
    failures: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    threads: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def called(self, method: str) -> list[dict[str, Any]]:
        """The arguments of every successful call of `method`, in order."""
        return [call.args for call in self.calls if call.method == method]

    def fail_next(self, method: str, status: int = 429, retry_after: int = 0,
                  error: str = "ratelimited") -> None:
        """Answer the next call of `method` with this status, Slack error (`not_in_channel`
        comes with 200) and Retry-After header."""
        self.failures.setdefault(method, []).append((status, retry_after, error))

    def file(self, name: str, data: bytes, *, size: int | None = None) -> dict[str, Any]:
        """A shared file as a file_input submission carries it, downloadable from the mock."""
        self.files[name] = data
        return {"id": f"F{len(self.files)}", "name": name, "title": name, "filetype": "text",
                "size": len(data) if size is None else size,
                "url_private": f"{self.url}/files/{name}",
                "url_private_download": f"{self.url}/files/{name}?download=1"}

    def routes(self) -> web.Application:
        """The mock's aiohttp application."""
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self.api)
        app.router.add_post("/respond/{id}", self.respond)
        app.router.add_get("/files/{name}", self.download)
        return app

    def response_url(self) -> str:
        """A response URL for a slash command (answered by the mock too)."""
        return f"{self.url}/respond/{next(self._ts)}"

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        """Slack's answer to a call."""
        ts = f"{1700000000 + next(self._ts)}.000100"
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": TEAM,
                    "user": "sunbae", "team": "Test"}
        if method == "chat.postMessage":
            message = {"type": "message", "user": BOT_USER, "bot_id": "BBOT", "ts": ts,
                       "text": args.get("text", ""), "thread_ts": args.get("thread_ts")}
            if args.get("thread_ts"):
                self.threads.setdefault(args["thread_ts"], []).append(message)
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "conversations.replies":
            return {"ok": True, "messages": [{"type": "message", "user": CAMPER,
                                              "ts": args.get("ts")},
                                             *self.threads.get(str(args.get("ts")), [])]}
        if method == "chat.getPermalink":
            return {"ok": True, "channel": args.get("channel"),
                    "permalink": f"https://test.slack.com/archives/{args.get('channel')}/"
                                 f"p{str(args.get('message_ts')).replace('.', '')}"}
        if method == "views.open":
            return {"ok": True, "view": {"id": "V1", **(args.get("view") or {})}}
        if method == "usergroups.users.list":
            return {"ok": True, "users": [MAINTAINER]}
        return {"ok": True, "ts": ts}

    async def api(self, request: web.Request) -> web.Response:
        """/api/<method>: query, JSON or form arguments, like Slack takes them."""
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.method == "POST":
            args.update(dict(await request.post()))
        for key in ("blocks", "view"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        pending = self.failures.get(method)
        if pending:
            status, retry_after, error = pending.pop(0)
            self.calls.append(Call(f"{method}!{status}", args, None))
            return web.json_response({"ok": False, "error": error}, status=status,
                                     headers={"Retry-After": str(retry_after)})
        self.calls.append(Call(method, args, request.headers.get("Authorization")))
        return web.json_response(self.answer(method, args))

    async def respond(self, request: web.Request) -> web.Response:
        """A slash command's response URL."""
        self.calls.append(Call("respond", await request.json(), None))
        return web.Response(text="ok")

    async def download(self, request: web.Request) -> web.Response:
        """A private file: only with the bot token, else Slack's sign-in page."""
        name = request.match_info["name"]
        if request.headers.get("Authorization") != f"Bearer {BOT_TOKEN}":
            return web.Response(text="<html>sign in</html>", content_type="text/html")
        self.downloads.append(name)
        return web.Response(body=self.files[name], content_type="application/octet-stream")


async def push(transport: SlackTransport, body: dict[str, Any]) -> Any:
    """Deliver a Socket Mode payload; returns the ack once every listener it started is done."""
    response = await transport.app.async_dispatch(AsyncBoltRequest(body=body, mode="socket_mode"))
    await transport.settled()
    return response


def mention(text: str, *, ts: str = "1700000000.000001", team: str = TEAM,
            user: str = CAMPER, channel: str = CHANNEL) -> dict[str, Any]:
    """An app_mention event callback."""
    event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}", "ts": ts,
             "channel": channel, "event_ts": ts}
    return event_callback(event, team)


def message(text: str, *, ts: str, thread_ts: str | None = None, team: str = TEAM,
            user: str = CAMPER, channel: str = CHANNEL,
            channel_type: str = "channel") -> dict[str, Any]:
    """A message event callback (in a thread when thread_ts is given)."""
    event: dict[str, Any] = {"type": "message", "user": user, "text": text, "ts": ts,
                             "channel": channel, "channel_type": channel_type, "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event_callback(event, team)


def event_callback(event: dict[str, Any], team: str) -> dict[str, Any]:
    """The Events API envelope Socket Mode delivers."""
    return {"token": "verification", "team_id": team, "api_app_id": "A1", "event": event,
            "type": "event_callback", "event_id": f"Ev{event['ts']}", "event_time": 1,
            "authorizations": [{"team_id": team, "user_id": BOT_USER, "is_bot": True}]}


def command(name: str, text: str, response_url: str, *, user: str = CAMPER,
            team: str = TEAM) -> dict[str, Any]:
    """A slash command payload."""
    return {"token": "verification", "team_id": team, "team_domain": "test",
            "channel_id": CHANNEL, "channel_name": "qa", "user_id": user, "user_name": user,
            "command": name, "text": text, "api_app_id": "A1", "response_url": response_url,
            "trigger_id": "trigger-1"}


def button_click(action_id: str, value: str, *, user: str = CAMPER,
                 team: str = TEAM) -> dict[str, Any]:
    """A block_actions payload: a click on one of an answer's buttons."""
    return {"type": "block_actions", "user": {"id": user, "team_id": team},
            "team": {"id": team}, "api_app_id": "A1", "token": "verification",
            "trigger_id": "trigger-2", "channel": {"id": CHANNEL},
            "container": {"type": "message", "message_ts": "1", "channel_id": CHANNEL},
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b",
                         "value": value, "action_ts": "1"}]}


def submission(callback_id: str, values: dict[str, Any], metadata: dict[str, Any], *,
               user: str = CAMPER, team: str = TEAM) -> dict[str, Any]:
    """A view_submission payload; `values` maps block ids to a text or a list of files."""
    state = {block: {block: ({"type": "file_input", "files": value} if isinstance(value, list)
                             else {"type": "plain_text_input", "value": value})}
             for block, value in values.items()}
    return {"type": "view_submission", "team": {"id": team},
            "user": {"id": user, "username": user.lower(), "team_id": team},
            "api_app_id": "A1", "token": "verification", "trigger_id": "trigger-3",
            "view": {"id": "V1", "type": "modal", "callback_id": callback_id,
                     "private_metadata": json.dumps(metadata), "state": {"values": state}}}
