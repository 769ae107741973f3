"""The maintainers' loop on Discord: /stats, 👎 reasons, cards in the maintainers' channel,
"Answer this" for a whole group, and the promote form's cited days (the core real)."""

from __future__ import annotations

from unittest.mock import create_autospec

import discord
import pytest

from bot.answer_labels import labels_for
from bot.discord_app import SunbaeBot
from bot.exts.ask._buttons import SaveCuratedButton, VoteButton
from bot.exts.ask._reasons import ReasonButton, ReasonModal
from bot.exts.curate._cards import MaintainerCards, cards_of
from bot.utils.checks import MAINTAINERS_ONLY
from bot.utils.promote import PromoteModal
from tests.discord_fakes import (
    GUILD_SPACE,
    camper,
    fake_interaction,
    fill,
    maintainer,
    sent_embeds,
)

pytest_plugins = ["tests.discord_fixtures"]

ANSWERED = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"
ALIKE = ["쿠버네티스 파드 오토스케일링은 어떻게 설정해?",
         "쿠버네티스에서 파드 오토스케일링 설정하는 방법 알려줘"]
CHANNEL_ID = 9090


def asked(bot: SunbaeBot, question: str = ANSWERED) -> int:
    """A logged ask of the test server, as if a camper had asked."""
    answer = bot.core.ask(question, user="discord:1001")
    assert answer.ask_id is not None
    return answer.ask_id


def abstained(bot: SunbaeBot, question: str) -> int:
    """A logged abstention (an unreachable threshold makes it certain)."""
    bot.core.settings.answer_threshold = 1.01
    answer = bot.core.ask(question, user="discord:1001")
    assert answer.kind == "abstain" and answer.ask_id is not None
    return answer.ask_id


@pytest.fixture
def channel(sunbae_bot: SunbaeBot, monkeypatch: pytest.MonkeyPatch) -> discord.TextChannel:
    """The maintainers' channel, set for the test server's space and visible to the bot."""
    fake = create_autospec(discord.TextChannel, instance=True, spec_set=True)
    fake.id = CHANNEL_ID
    monkeypatch.setattr(sunbae_bot, "get_channel",
                        lambda channel_id: fake if channel_id == CHANNEL_ID else None)
    sunbae_bot.core.set_maintainers_channel(str(CHANNEL_ID), space=GUILD_SPACE)
    return fake


def cards(bot: SunbaeBot) -> MaintainerCards:
    """The bot's card poster."""
    poster = cards_of(bot)
    assert poster is not None
    return poster


# -- /stats ------------------------------------------------------------------------------------

async def test_stats_refuses_a_camper(sunbae_bot: SunbaeBot) -> None:
    """A camper gets the maintainers-only refusal and no numbers."""
    interaction = fake_interaction(sunbae_bot, camper())
    cog = sunbae_bot.get_cog("StatsCog")
    await cog.stats.callback(cog, interaction)
    assert interaction.response.send_message.await_args.args[0] == MAINTAINERS_ONLY
    interaction.followup.send.assert_not_awaited()


async def test_stats_shows_the_servers_counts_and_reasons(sunbae_bot: SunbaeBot) -> None:
    """/stats shows the asks, the kinds, the votes with a 👎's reason, and the unanswered."""
    answered = asked(sunbae_bot)
    sunbae_bot.core.vote(answered, "discord:7", -1)
    sunbae_bot.core.explain_vote(answered, "discord:7", "outdated")
    abstained(sunbae_bot, ALIKE[0])
    interaction = fake_interaction(sunbae_bot, maintainer())
    cog = sunbae_bot.get_cog("StatsCog")
    await cog.stats.callback(cog, interaction, 7)
    call = interaction.followup.send.await_args
    assert call.kwargs["ephemeral"] is True
    fields = {field.name: field.value for field in call.kwargs["embed"].fields}
    assert call.kwargs["embed"].description == "**2** asks"
    assert "🤔 not answered: 1 (50%)" in fields["Answers · 답변"]
    assert "👍 0 · 👎 1" in fields["Votes · 투표"] and "outdated: 1" in fields["Votes · 투표"]
    assert ALIKE[0] in fields["Most asked, unanswered · 답 못한 질문"]


# -- 👎 reasons --------------------------------------------------------------------------------

async def test_thumbs_down_offers_the_reasons_to_the_voter_only(sunbae_bot: SunbaeBot) -> None:
    """After 👎 the thanks come with four reason buttons, ephemeral."""
    interaction = fake_interaction(sunbae_bot, camper(7))
    ask_id = asked(sunbae_bot)
    await VoteButton(ask_id, -1).callback(interaction)
    call = interaction.response.send_message.await_args
    assert call.kwargs["ephemeral"] is True
    reasons = [item.reason for item in call.kwargs["view"].children]
    assert reasons == ["wrong_day", "outdated", "did_not_answer", "other"]


async def test_thumbs_up_asks_no_reason(sunbae_bot: SunbaeBot) -> None:
    """A 👍 is thanked without any reason buttons."""
    interaction = fake_interaction(sunbae_bot, camper(7))
    await VoteButton(asked(sunbae_bot), 1).callback(interaction)
    assert "view" not in interaction.response.send_message.await_args.kwargs


async def test_one_tap_stores_the_reason_with_the_vote(sunbae_bot: SunbaeBot) -> None:
    """Tapping "wrong day" after 👎 keeps it with that vote; stats count it."""
    ask_id = asked(sunbae_bot)
    await VoteButton(ask_id, -1).callback(fake_interaction(sunbae_bot, camper(7)))
    await ReasonButton(ask_id, "wrong_day").callback(fake_interaction(sunbae_bot, camper(7)))
    assert sunbae_bot.core.ask_stats(days=1).down_reasons == {"wrong_day": 1}


async def test_other_asks_for_a_line_and_keeps_it(sunbae_bot: SunbaeBot) -> None:
    """"Other" opens a one-line form; what is written is kept and shown in stats."""
    ask_id = asked(sunbae_bot)
    await VoteButton(ask_id, -1).callback(fake_interaction(sunbae_bot, camper(7)))
    interaction = fake_interaction(sunbae_bot, camper(7))
    await ReasonButton(ask_id, "other").callback(interaction)
    modal = interaction.response.send_modal.await_args.args[0]
    assert isinstance(modal, ReasonModal)
    fill(modal.text, "week 1 을 인용했는데 답은 week 2 에 있어요")
    await modal.on_submit(fake_interaction(sunbae_bot, camper(7)))
    stats = sunbae_bot.core.ask_stats(days=1)
    assert stats.down_reasons == {"other": 1}
    assert stats.other_reasons == ["week 1 을 인용했는데 답은 week 2 에 있어요"]


async def test_a_reason_without_a_thumbs_down_is_refused(sunbae_bot: SunbaeBot) -> None:
    """A reason from someone who did not vote 👎 is not stored, and they are told."""
    ask_id = asked(sunbae_bot)
    interaction = fake_interaction(sunbae_bot, camper(8))
    await ReasonButton(ask_id, "outdated", "ko").callback(interaction)
    assert interaction.response.send_message.await_args.args[0] == labels_for("ko").vote_down_first
    assert sunbae_bot.core.ask_stats(days=1).down_reasons == {}


async def test_reason_button_survives_a_restart(sunbae_bot: SunbaeBot) -> None:
    """The reason button is rebuilt from its custom id alone."""
    button = ReasonButton(41, "did_not_answer")
    match = ReasonButton.__discord_ui_compiled_template__.fullmatch(button.custom_id)
    rebuilt = await ReasonButton.from_custom_id(fake_interaction(sunbae_bot, camper()),
                                                button.item, match)
    assert (rebuilt.ask_id, rebuilt.reason) == (41, "did_not_answer")


# -- the maintainers' channel ------------------------------------------------------------------

async def test_maintainers_channel_is_stored_per_space(sunbae_bot: SunbaeBot) -> None:
    """/curate maintainers-channel stores the channel for the server; leaving it out clears."""
    chosen = create_autospec(discord.TextChannel, instance=True, spec_set=True)
    chosen.id, chosen.mention = 31337, "<#31337>"
    cog = sunbae_bot.get_cog("CurateCog")
    await cog.maintainers_channel.callback(cog, fake_interaction(sunbae_bot, maintainer()),
                                           chosen)
    assert sunbae_bot.core.maintainers_channel(space=GUILD_SPACE) == "31337"
    assert sunbae_bot.core.maintainers_channel(space="discord:1") is None
    await cog.maintainers_channel.callback(cog, fake_interaction(sunbae_bot, maintainer()), None)
    assert sunbae_bot.core.maintainers_channel(space=GUILD_SPACE) is None


async def test_a_camper_cannot_set_the_channel(sunbae_bot: SunbaeBot) -> None:
    """A camper is refused and nothing is stored."""
    chosen = create_autospec(discord.TextChannel, instance=True, spec_set=True)
    chosen.id = 31337
    cog = sunbae_bot.get_cog("CurateCog")
    interaction = fake_interaction(sunbae_bot, camper())
    # As discord.py runs a command: the cog's interaction_check first, then the callback.
    if await cog.maintainers_channel._check_can_run(interaction):
        await cog.maintainers_channel.callback(cog, interaction, chosen)
    assert sunbae_bot.core.maintainers_channel(space=GUILD_SPACE) is None


async def test_a_burst_of_abstentions_is_one_card_message(sunbae_bot: SunbaeBot,
                                                          channel: discord.TextChannel) -> None:
    """Two abstentions and a 👎 queued together go out as one message with three cards, a
    jump link and an "Answer this" button each; the answers' footers then say 'sent'."""
    poster = cards(sunbae_bot)
    sent = []
    for question in ALIKE:
        interaction = fake_interaction(sunbae_bot, camper())
        message = create_autospec(discord.WebhookMessage, instance=True, spec_set=True)
        message.jump_url = f"https://discord.com/channels/4242/555/{len(sent) + 1}"
        interaction.followup.send.return_value = message
        sunbae_bot.core.settings.answer_threshold = 1.01
        cog = sunbae_bot.get_cog("AskCog")
        await cog.ask.callback(cog, interaction, question)
        footer = sent_embeds(interaction.followup.send)[-1].footer.text
        assert "메인테이너 목록에 기록했어요" in footer  # not sent yet: the card waits
        sent.append(message)
    down = asked(sunbae_bot)
    sunbae_bot.core.settings.answer_threshold = 0.0
    await VoteButton(down, -1).callback(fake_interaction(sunbae_bot, camper(7)))
    channel.send.assert_not_awaited()  # batched: nothing went out yet

    assert await poster.flush(GUILD_SPACE) is True
    channel.send.assert_awaited_once()
    card = channel.send.await_args.kwargs
    lines = card["embed"].description.splitlines()
    assert len(lines) == 3 and "🤔" in lines[0] and "👎" in lines[2]
    assert "[jump](https://discord.com/channels/4242/555/1)" in lines[0]
    labels = [item.item.label for item in card["view"].children]
    assert labels == ["Answer this (1)", "Answer this (2)", "Answer this (3)"]
    for message in sent:
        edited = message.edit.await_args.kwargs["embeds"][-1]
        assert "메인테이너에게 전달했어요" in edited.footer.text


async def test_no_channel_no_card(sunbae_bot: SunbaeBot) -> None:
    """Without a maintainers' channel nothing is queued, and the footer stays 'logged'."""
    interaction = fake_interaction(sunbae_bot, camper())
    sunbae_bot.core.settings.answer_threshold = 1.01
    cog = sunbae_bot.get_cog("AskCog")
    await cog.ask.callback(cog, interaction, ALIKE[0])
    assert await cards(sunbae_bot).flush(GUILD_SPACE) is False


async def test_answer_this_answers_the_whole_group(sunbae_bot: SunbaeBot) -> None:
    """"Answer this" on one of two alike abstentions saves one curated answer and takes both
    off the unanswered list."""
    first, second = (abstained(sunbae_bot, q) for q in ALIKE)
    interaction = fake_interaction(sunbae_bot, maintainer())
    await SaveCuratedButton(second, label="Answer this").callback(interaction)
    modal = interaction.response.send_modal.await_args.args[0]
    assert modal.ask_ids == [second, first]
    fill(modal.question, modal.question.value)
    fill(modal.answer, "HPA(Horizontal Pod Autoscaler)를 설정하세요.")
    fill(modal.cites, "")
    await modal.on_submit(fake_interaction(sunbae_bot, maintainer()))
    assert sunbae_bot.core.unanswered(space=GUILD_SPACE) == []


# -- the promote form's cited days -------------------------------------------------------------

async def test_promote_form_shows_the_cited_days(sunbae_bot: SunbaeBot) -> None:
    """"Save as curated" prefills the cited days of the answer, one a line."""
    ask_id = asked(sunbae_bot)
    interaction = fake_interaction(sunbae_bot, maintainer())
    await SaveCuratedButton(ask_id).callback(interaction)
    modal = interaction.response.send_modal.await_args.args[0]
    cites = sunbae_bot.core.ask_cites(ask_id, space=GUILD_SPACE)
    assert cites and modal.cites.value == "\n".join(cites)


async def test_edited_cited_days_are_saved(sunbae_bot: SunbaeBot) -> None:
    """A maintainer's edited days are the curated answer's cites."""
    ask_id = asked(sunbae_bot)
    modal = PromoteModal(ask_ids=[ask_id], question=ANSWERED, answer="커리어 얘기",
                         cites=["week2.md · Day 8"], space=GUILD_SPACE)
    fill(modal.cites, "week2.md · Day 9\nweek2.md · Day 9\n")
    await modal.on_submit(fake_interaction(sunbae_bot, maintainer()))
    answer = sunbae_bot.core.ask(ANSWERED)
    assert answer.kind == "curated"
    assert sunbae_bot.core.get_curated(answer.curated_slug).cites == ("week2.md · Day 9",)


async def test_a_day_that_does_not_exist_is_refused_clearly(sunbae_bot: SunbaeBot) -> None:
    """A cite naming a day no note holds is refused, named, and nothing is saved."""
    ask_id = asked(sunbae_bot)
    modal = PromoteModal(ask_ids=[ask_id], question=ANSWERED, answer="커리어 얘기",
                         space=GUILD_SPACE)
    fill(modal.cites, "week2.md · Day 8\nweek2.md · Day 99")
    interaction = fake_interaction(sunbae_bot, maintainer())
    await modal.on_submit(interaction)
    said = interaction.followup.send.await_args.args[0]
    assert "week2.md · Day 99" in said and "Day 8" not in said.split("notes:")[1]
    assert sunbae_bot.core.ask(ANSWERED).kind != "curated"
