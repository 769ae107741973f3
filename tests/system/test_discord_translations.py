"""Korean command names and descriptions: one translator, the tree's payload carries them."""

from __future__ import annotations

import re

import discord

from bot.discord_app import SunbaeBot
from bot.utils.translations import NAMES, KoreanTranslator

pytest_plugins = ["tests.discord_fixtures"]

KO = discord.Locale.korean.value
# Discord's rule for slash command and option names.
SLASH_NAME = re.compile(r"^[-_\w]{1,32}$")


async def payloads(bot: SunbaeBot) -> dict[str, dict]:  # type: ignore[type-arg]
    """Every top-level command's payload as it would be synced, by English name."""
    translator = KoreanTranslator()
    return {command.name: await command.get_translated_payload(bot.tree, translator)
            for command in bot.tree.get_commands()}


async def test_slash_commands_carry_korean_names_and_descriptions(sunbae_bot: SunbaeBot) -> None:
    """/ask is /질문 for a Korean client, with a Korean description; English stays default."""
    synced = await payloads(sunbae_bot)
    ask = synced["ask"]
    assert ask["name"] == "ask"
    assert ask["name_localizations"] == {KO: "질문"}
    assert ask["description_localizations"][KO] == "학습 일지에 대해 선배에게 질문해요"
    assert ask["options"][0]["name_localizations"] == {KO: "질문"}
    for english, korean in (("ingest", "노트추가"), ("forget", "노트삭제"), ("source", "출처"),
                            ("unanswered", "못한질문"), ("curate", "큐레이션")):
        assert synced[english]["name_localizations"][KO] == korean


async def test_subcommands_and_their_options_are_translated(sunbae_bot: SunbaeBot) -> None:
    """/curate retire slug: → /큐레이션 보관 슬러그:."""
    curate = (await payloads(sunbae_bot))["curate"]
    retire = next(option for option in curate["options"] if option["name"] == "retire")
    assert retire["name_localizations"] == {KO: "보관"}
    assert retire["options"][0]["name_localizations"] == {KO: "슬러그"}
    assert retire["options"][0]["description_localizations"] == {KO: "어느 큐레이션 답변"}


async def test_other_locales_see_the_english(sunbae_bot: SunbaeBot) -> None:
    """Only Korean is translated: no other locale gets an entry."""
    for payload in (await payloads(sunbae_bot)).values():
        assert set(payload["name_localizations"]) <= {KO}


async def test_setup_hook_installs_the_translator(sunbae_bot: SunbaeBot) -> None:
    """The running bot syncs its commands through the Korean translator."""
    bot = SunbaeBot(sunbae_bot.core, sunbae_bot.discord_settings)
    await bot.setup_hook()
    assert isinstance(bot.tree.translator, KoreanTranslator)


def test_every_korean_slash_name_is_a_valid_discord_name() -> None:
    """Lowercase, no spaces, at most 32 characters (context-menu names are free text)."""
    for english, korean in NAMES.items():
        if " " not in english:
            assert SLASH_NAME.match(korean) and korean == korean.lower(), korean


def _untranslated(payload: dict) -> list[str]:  # type: ignore[type-arg]
    """Names and descriptions in one payload (options included) with no Korean."""
    missing = [] if payload.get("name_localizations") else [f"name {payload['name']}"]
    if payload.get("description") and not payload.get("description_localizations"):
        missing.append(f"description of {payload['name']}")
    for option in payload.get("options", []):
        if "name" in option:
            missing += _untranslated(option)
    return missing


async def test_every_command_and_option_has_korean(sunbae_bot: SunbaeBot) -> None:
    """A command added later without a row in the table would show in English only."""
    missing = [item for payload in (await payloads(sunbae_bot)).values()
               for item in _untranslated(payload)]
    assert missing == []
