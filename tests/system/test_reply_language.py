"""Replies follow the question's language end to end (the core real): on Discord the answer, its
buttons, 👍/👎 thanks, the 👎 reasons and their acknowledgement; on Slack the answer's blocks,
the vote thanks and "More sources"."""

from __future__ import annotations

import json
from typing import Any
from unittest.mock import create_autospec

import discord
import pytest

from bot.answer_labels import LABELS, labels_for
from bot.discord_app import SunbaeBot
from bot.exts.ask._buttons import MoreSourcesButton, VoteButton
from bot.exts.ask._reasons import ReasonButton
from bot.slack.blocks import MORE_SOURCES, VOTE_DOWN
from bot.slack.transport import SlackTransport
from tests.discord_fakes import camper, fake_interaction, sent_embeds
from tests.slack_mock import MAINTAINERS_CHANNEL, MockSlack, button_click, mention, push

pytest_plugins = ["tests.discord_fixtures", "tests.slack_fixtures"]

QUESTIONS = {"ko": "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?",
             "en": "What does collate_fn do in a DataLoader?"}
OTHER = {"ko": "en", "en": "ko"}


def kind_shown(shown: str, language: str) -> bool:
    """Whether `shown` says what kind of answer it is in `language`."""
    words = labels_for(language)
    curated = words.curated_by.split("{", 1)[0]
    return any(line in shown for line in (words.from_journals, words.not_answered, curated))


def leaked(shown: str, language: str) -> list[str]:
    """The other language's labels that `shown` holds (the answer's own text aside)."""
    other = LABELS[OTHER[language]]
    phrases = [other.from_journals, other.curated_by.split("{", 1)[0].strip(),
               other.not_answered, other.logged_for_maintainers, other.more_sources,
               other.thanks_up, other.thanks_down, other.ask_why,
               other.reason_noted, other.nearest_topics, *other.reasons.values()]
    return [p for p in phrases if p in shown]


async def discord_ask(bot: SunbaeBot, question: str) -> Any:
    """/ask through the cog; the interaction."""
    interaction = fake_interaction(bot, camper(1001))
    cog = bot.get_cog("AskCog")
    await cog.ask.callback(cog, interaction, question)  # type: ignore[union-attr]
    return interaction


def buttons_of(interaction: Any) -> list[Any]:
    """The camper's buttons under the last answer message."""
    return list(interaction.followup.send.await_args.kwargs["view"].children)


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_discord_answer_and_its_buttons_follow_the_question(sunbae_bot: SunbaeBot,
                                                                  language: str) -> None:
    """The embeds, the "More sources" label, 👎's thanks and reasons, and a reason's
    acknowledgement: all in the question's language, none in the other."""
    words = labels_for(language)
    interaction = await discord_ask(sunbae_bot, QUESTIONS[language])
    embeds = [e.to_dict() for e in sent_embeds(interaction.followup.send)]
    shown = json.dumps(embeds, ensure_ascii=False)
    assert kind_shown(shown, language)
    assert not leaked(shown, language)
    buttons = buttons_of(interaction)
    [down] = [b for b in buttons if isinstance(b, VoteButton) and b.vote < 0]
    assert down.language == language
    sources = [b for b in buttons if isinstance(b, MoreSourcesButton)]
    assert all(b.item.label == words.more_sources for b in sources)

    voter = fake_interaction(sunbae_bot, camper(7))
    voter.locale = discord.Locale.korean if language == "en" else discord.Locale.british_english
    await down.callback(voter)  # the clicker's locale does not override the question's
    call = voter.response.send_message.await_args
    assert call.args[0].startswith(words.thanks_down) and words.ask_why in call.args[0]
    assert not leaked(call.args[0], language)
    reasons = list(call.kwargs["view"].children)
    assert [r.item.label for r in reasons] == list(words.reasons.values())

    tapped = fake_interaction(sunbae_bot, camper(7))
    [wrong_day] = [r for r in reasons if isinstance(r, ReasonButton) and r.reason == "wrong_day"]
    await wrong_day.callback(tapped)
    assert tapped.response.send_message.await_args.args[0] == words.reason_noted


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_discord_more_sources_follows_the_question(sunbae_bot: SunbaeBot,
                                                         language: str) -> None:
    """The "More sources" reply is titled in the ask's language."""
    answer = sunbae_bot.core.ask(QUESTIONS[language], user="discord:1001")
    assert answer.ask_id is not None
    clicker = fake_interaction(sunbae_bot, camper(7))
    await MoreSourcesButton(answer.ask_id, language).callback(clicker)
    [embed] = sent_embeds(clicker.followup.send)
    assert embed.title == labels_for(language).more_sources


async def test_an_older_button_answers_in_the_clickers_locale(sunbae_bot: SunbaeBot) -> None:
    """A vote button sent before buttons carried a language replies in the clicker's
    Discord language."""
    answer = sunbae_bot.core.ask(QUESTIONS["en"], user="discord:1001")
    assert answer.ask_id is not None
    voter = fake_interaction(sunbae_bot, camper(7))
    voter.locale = discord.Locale.korean
    await VoteButton(answer.ask_id, 1).callback(voter)
    assert voter.response.send_message.await_args.args[0].startswith(labels_for("ko").thanks_up)


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_slack_answer_votes_and_more_sources_follow_the_question(
        slack: SlackTransport, slack_api: MockSlack, language: str) -> None:
    """A mention's blocks, the vote thanks and "More sources" in the question's language."""
    words = labels_for(language)
    await push(slack, mention(QUESTIONS[language]))
    [post] = [p for p in slack_api.called("chat.postMessage")
              if p["channel"] != MAINTAINERS_CHANNEL]
    blocks = post["blocks"]
    shown = json.dumps(blocks, ensure_ascii=False)
    assert kind_shown(shown, language)
    assert not leaked(shown, language)
    ask_id = next(b for b in blocks if b["type"] == "actions")["elements"][0]["value"]

    await push(slack, button_click(VOTE_DOWN, ask_id))
    told = slack_api.called("respond") + slack_api.called("chat.postEphemeral")
    assert told[-1]["text"].startswith(words.thanks_down)
    assert not leaked(told[-1]["text"], language)

    if words.not_answered not in shown:  # "More sources" is offered under an answer only
        await push(slack, button_click(MORE_SOURCES, ask_id))
        more = slack_api.called("chat.postEphemeral")[-1]
        assert more["text"] == words.more_sources
        assert more["blocks"][0]["text"]["text"] == f"*{words.more_sources}*"


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_a_failed_answer_is_said_in_the_questions_language(
        sunbae_bot: SunbaeBot, monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    """When answering a message fails, the apology is in the question's language only."""
    async def broken(question: str, **options: Any) -> Any:
        raise RuntimeError("the composer broke")

    monkeypatch.setattr(sunbae_bot.core, "ask_async", broken)
    message = create_autospec(discord.Message, instance=True, spec_set=True)
    message.guild, message.author = None, camper()
    message.channel = create_autospec(discord.TextChannel, instance=True, spec_set=True)
    message.channel.id = 555
    cog = sunbae_bot.get_cog("AskCog")
    said = await cog._answer(message, QUESTIONS[language], "discord:4242")  # type: ignore[union-attr]
    assert said == labels_for(language).failed


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_slack_failed_answer_is_said_in_the_questions_language(
        slack: SlackTransport, slack_api: MockSlack, monkeypatch: pytest.MonkeyPatch,
        language: str) -> None:
    """When answering a mention fails, Slack's apology is in the question's language only."""
    async def broken(*args: Any, **options: Any) -> Any:
        raise RuntimeError("the composer broke")

    monkeypatch.setattr(slack.core, "ask", broken)
    await push(slack, mention(QUESTIONS[language]))
    said = [p.get("text") for p in slack_api.called("chat.postMessage")]
    assert labels_for(language).failed in said
    assert labels_for(OTHER[language]).failed not in said
