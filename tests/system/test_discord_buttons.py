"""The buttons under an answer: votes stored one per person, more sources, save as curated."""

from __future__ import annotations

from bot.answer_labels import labels_for
from bot.discord_app import SunbaeBot
from bot.exts.ask._buttons import MoreSourcesButton, SaveCuratedButton, VoteButton, answer_view
from bot.utils.promote import PromoteModal
from tests.discord_fakes import (
    GUILD_SPACE,
    camper,
    fake_interaction,
    maintainer,
    sent_embeds,
)

pytest_plugins = ["tests.discord_fixtures"]

QUESTION = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"


def ask_id(bot: SunbaeBot, question: str = QUESTION) -> int:
    """A logged ask, as if a camper had asked in Discord."""
    answer = bot.core.ask(question, user="discord:1001")
    assert answer.ask_id is not None
    return answer.ask_id


async def test_thumbs_up_is_stored_on_the_ask(sunbae_bot: SunbaeBot) -> None:
    """👍 records one up-vote for the clicking person."""
    asked = ask_id(sunbae_bot)
    await VoteButton(asked, 1).callback(fake_interaction(sunbae_bot, camper(7)))
    assert sunbae_bot.core.votes(asked) == (1, 0)


async def test_second_vote_replaces_the_first(sunbae_bot: SunbaeBot) -> None:
    """👍 then 👎 by the same person leaves one down-vote."""
    asked = ask_id(sunbae_bot)
    await VoteButton(asked, 1).callback(fake_interaction(sunbae_bot, camper(7)))
    await VoteButton(asked, -1).callback(fake_interaction(sunbae_bot, camper(7)))
    assert sunbae_bot.core.votes(asked) == (0, 1)


async def test_vote_is_acknowledged_only_to_the_voter(sunbae_bot: SunbaeBot) -> None:
    """The thanks and counts are ephemeral."""
    interaction = fake_interaction(sunbae_bot, camper(7))
    await VoteButton(ask_id(sunbae_bot), 1).callback(interaction)
    assert interaction.response.send_message.await_args.kwargs["ephemeral"] is True


async def test_vote_button_survives_a_restart(sunbae_bot: SunbaeBot) -> None:
    """The button is rebuilt from its custom id alone, as after a restart."""
    button = VoteButton(41, -1)
    match = VoteButton.__discord_ui_compiled_template__.fullmatch(button.custom_id)
    rebuilt = await VoteButton.from_custom_id(fake_interaction(sunbae_bot, camper()), button.item,
                                              match)
    assert (rebuilt.ask_id, rebuilt.vote) == (41, -1)


async def test_more_sources_lists_more_days_ephemerally(sunbae_bot: SunbaeBot) -> None:
    """"More sources" answers only the clicker, with more citations than the answer had."""
    asked = ask_id(sunbae_bot)
    interaction = fake_interaction(sunbae_bot, camper())
    await MoreSourcesButton(asked).callback(interaction)
    call = interaction.followup.send.await_args
    assert call.kwargs["ephemeral"] is True
    assert len(sent_embeds(interaction.followup.send)[0].fields) > 3


async def test_more_sources_does_not_log_a_new_ask(sunbae_bot: SunbaeBot) -> None:
    """The wider search is not a second question in the ask log."""
    asked = ask_id(sunbae_bot)
    await MoreSourcesButton(asked).callback(fake_interaction(sunbae_bot, camper()))
    assert sunbae_bot.core.ask(QUESTION, record=True).ask_id == asked + 1


async def test_save_as_curated_refuses_a_camper(sunbae_bot: SunbaeBot) -> None:
    """A camper clicking "Save as curated" is refused ephemerally and no form opens."""
    interaction = fake_interaction(sunbae_bot, camper())
    await SaveCuratedButton(ask_id(sunbae_bot)).callback(interaction)
    interaction.response.send_modal.assert_not_awaited()
    assert interaction.response.send_message.await_args.kwargs["ephemeral"] is True


async def test_save_as_curated_opens_a_prefilled_form(sunbae_bot: SunbaeBot) -> None:
    """A maintainer gets the modal prefilled with the question and the bot's answer."""
    asked = ask_id(sunbae_bot)
    interaction = fake_interaction(sunbae_bot, maintainer())
    await SaveCuratedButton(asked).callback(interaction)
    modal = interaction.response.send_modal.await_args.args[0]
    assert modal.question.value == QUESTION
    assert modal.answer.value == sunbae_bot.core.get_ask(asked).answer


async def test_saving_the_form_creates_a_curated_answer(sunbae_bot: SunbaeBot) -> None:
    """Submitting the prefilled form makes the answer curated, so the question now gets it."""
    asked = ask_id(sunbae_bot)
    modal = PromoteModal(ask_ids=[asked], question=QUESTION,
                         answer="마스터님이 커리어 얘기를 해주셨어요.", space=GUILD_SPACE)
    await modal.on_submit(fake_interaction(sunbae_bot, maintainer()))
    again = sunbae_bot.core.ask(QUESTION)
    assert again.kind == "curated" and again.curated_author == "maintainer"


async def test_abstention_offers_no_more_sources(sunbae_bot: SunbaeBot) -> None:
    """Under an abstention the buttons are votes and "Answer this", not "More sources"."""
    view = answer_view(9, abstained=True)
    assert view is not None
    labels = [getattr(item, "item", item).label for item in view.children]
    assert "More sources" not in labels and "Answer this" in labels
    # Its label follows the question's language: the button itself must be absent.
    assert not any(isinstance(item, MoreSourcesButton) for item in view.children)
    assert labels_for("ko").more_sources not in labels
