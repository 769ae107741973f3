"""The Slack app as a whole: acks before working, settings in .env.example, `serve --slack`."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError

from bot.cli import serve as serve_command
from bot.settings import SlackSettings
from bot.slack.running import serve_slack
from bot.slack.transport import SlackTransport
from knowledge.core import Sunbae
from knowledge.settings import Settings
from tests.slack_mock import MockSlack, mention

pytest_plugins = ["tests.slack_fixtures"]


async def test_event_is_acknowledged_before_the_answer_is_posted(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """The ack returns while the answer is still to come (the work runs after it)."""
    request = AsyncBoltRequest(body=mention("DataLoader의 collate_fn은 뭐야?"),
                               mode="socket_mode")
    response = await slack.app.async_dispatch(request)
    assert response.status == 200
    assert slack_api.called("chat.postMessage") == []
    await slack.settled()
    assert len(slack_api.called("chat.postMessage")) == 1


async def test_refused_bot_token_stops_the_start_and_is_never_logged(
        slack_core: Sunbae, slack_settings: SlackSettings, slack_api: MockSlack,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """auth.test runs first: a refused token raises before any socket is opened."""
    import bot.slack.transport

    real = bot.slack.transport.web_client
    monkeypatch.setattr(bot.slack.transport, "web_client",
                        lambda settings: real(settings, base_url=f"{slack_api.url}/api/"))
    slack_api.fail_next("auth.test", status=200)
    with pytest.raises(SlackApiError):
        await serve_slack(slack_core, slack_settings)
    assert "xoxb-test-token" not in caplog.text and "xapp-test-token" not in caplog.text


def test_env_example_lists_every_slack_setting() -> None:
    """.env.example names both tokens and every SUNBAE_SLACK_ setting."""
    text = (Path(__file__).resolve().parents[2] / ".env.example").read_text(encoding="utf-8")
    names = ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"]
    names += [f"SUNBAE_SLACK_{name}".upper() for name in SlackSettings.model_fields
              if name not in ("bot_token", "app_token")]
    assert [name for name in names if f"{name}=" not in text] == []


def serve_args(*argv: str) -> argparse.Namespace:
    """`sunbae serve …` parsed."""
    parser = argparse.ArgumentParser()
    serve_command.add_parsers(parser.add_subparsers(dest="command"))
    return parser.parse_args(["serve", *argv])


def test_serve_slack_without_tokens_explains_and_exits_2(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    """`sunbae serve --slack` with no tokens says which two to set."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setattr(serve_command, "get_settings", lambda: Settings(_env_file=None))
    args = serve_args("--slack")
    assert args.func(args) == 2
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN" in err and "SLACK_APP_TOKEN" in err


def test_run_transports_picks_slack_alone_or_beside_discord(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Slack alone runs on the main thread; with Discord too, Slack gets a thread."""
    import bot.discord_app
    import bot.slack.running

    ran: list[str] = []
    monkeypatch.setattr(bot.slack.running, "run_slack", lambda core, s: ran.append("slack") or 0)
    monkeypatch.setattr(bot.slack.running, "start_slack_thread",
                        lambda core, s: ran.append("slack-thread"))
    monkeypatch.setattr(bot.discord_app, "run_bot", lambda core, s: ran.append("discord") or 0)
    settings = Settings(_env_file=None)
    serve_command.run_transports(None, settings, slack=True, discord=False)  # type: ignore[arg-type]
    serve_command.run_transports(None, settings, slack=True, discord=True)  # type: ignore[arg-type]
    assert ran == ["slack", "slack-thread", "discord"]
