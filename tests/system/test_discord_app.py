"""The bot as a whole: settings, intents, default no-pings, the commands it registers, `serve`."""

from __future__ import annotations

import argparse
from pathlib import Path

import discord
import pytest

from bot.cli import serve as serve_command
from bot.discord_app import SunbaeBot, bot_intents
from bot.settings import DiscordSettings
from knowledge.settings import Settings

pytest_plugins = ["tests.discord_fixtures"]


def test_qa_channel_ids_read_from_a_comma_separated_variable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """SUNBAE_DISCORD_QA_CHANNEL_IDS="1, 2" becomes [1, 2]."""
    monkeypatch.setenv("SUNBAE_DISCORD_QA_CHANNEL_IDS", "111, 222")
    assert DiscordSettings(_env_file=None).qa_channel_ids == [111, 222]


def test_empty_variables_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """docker compose passes "" for settings left out; they fall back to their defaults."""
    monkeypatch.setenv("SUNBAE_DISCORD_GUILD_ID", "")
    monkeypatch.setenv("SUNBAE_DISCORD_COOLDOWN_SECONDS", "")
    settings = DiscordSettings(_env_file=None)
    assert settings.guild_id is None and settings.cooldown_seconds == 10


def test_answering_every_question_is_off_by_default() -> None:
    """Q&A channels answer only mentions unless the setting is turned on."""
    assert DiscordSettings(_env_file=None).answer_all_in_qa_channels is False


def test_message_content_intent_is_requested() -> None:
    """Mentions are read from message text, which needs the message content intent."""
    assert bot_intents().message_content and not bot_intents().members


def test_bot_default_allows_no_mentions(sunbae_bot: SunbaeBot) -> None:
    """Even a send that forgot allowed_mentions pings nobody."""
    assert sunbae_bot.allowed_mentions is not None
    assert sunbae_bot.allowed_mentions.to_dict() == {"parse": []}


def test_every_slash_command_is_registered(sunbae_bot: SunbaeBot) -> None:
    """The extensions register /ask, /ingest, /forget, /source, /curate, /unanswered and
    /stats and /sunbae (channel modes)."""
    names = {command.name for command in sunbae_bot.tree.get_commands(
        type=discord.AppCommandType.chat_input)}
    assert names == {"ask", "ingest", "forget", "source", "curate", "unanswered", "stats",
                     "sunbae"}


def test_both_message_menus_are_registered(sunbae_bot: SunbaeBot) -> None:
    """Right-click a message: "Ask Sunbae" and "Save as curated answer"."""
    names = {command.name for command in sunbae_bot.tree.get_commands(
        type=discord.AppCommandType.message)}
    assert names == {"Ask Sunbae", "Save as curated answer"}


def test_curate_has_its_seven_subcommands(sunbae_bot: SunbaeBot) -> None:
    """/curate add|edit|retire|list|show|maintainers-channel|shared."""
    group = sunbae_bot.tree.get_command("curate")
    assert {c.name for c in group.commands} == {"add", "edit", "retire", "list", "show",
                                                "maintainers-channel", "shared"}


def test_serve_without_a_token_explains_and_exits_2(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """`sunbae serve` with no DISCORD_TOKEN says what to set instead of starting."""
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.setattr(serve_command, "get_settings", lambda: Settings(_env_file=None))
    parser = argparse.ArgumentParser()
    serve_command.add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["serve"])
    assert args.func(args) == 2
    assert "DISCORD_TOKEN" in capsys.readouterr().err


def test_env_example_lists_every_setting() -> None:
    """.env.example names every core and Discord setting (and the compose password)."""
    text = (Path(__file__).resolve().parents[2] / ".env.example").read_text(encoding="utf-8")
    names = ["POSTGRES_PASSWORD"]
    for name, field in Settings.model_fields.items():
        names.append(str(field.validation_alias or f"SUNBAE_{name}").upper())
    names += [f"SUNBAE_DISCORD_{name}".upper() for name in DiscordSettings.model_fields]
    missing = [name for name in names if f"{name}=" not in text]
    assert missing == []
