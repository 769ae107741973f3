"""/curate and /unanswered: maintainers only, forms for the texts, the worklist answered."""

from __future__ import annotations

from bot.discord_app import SunbaeBot
from bot.exts.curate._modals import CuratedAnswerModal
from tests.discord_fakes import (
    GUILD_SPACE,
    camper,
    fake_interaction,
    fake_member,
    fill,
    maintainer,
)

pytest_plugins = ["tests.discord_fixtures"]

UNANSWERABLE = "쿠버네티스 파드 오토스케일링은 어떻게 설정해?"


def curate_cog(bot: SunbaeBot):  # type: ignore[no-untyped-def]
    """The /curate group's cog."""
    return bot.get_cog("CurateCog")


async def run(cog, command, interaction, **options) -> None:  # type: ignore[no-untyped-def]
    """A slash command as discord.py runs it: the cog's interaction_check, then the callback."""
    if await command._check_can_run(interaction):
        await command.callback(cog, interaction, **options)


async def test_camper_cannot_retire_and_nothing_changes(sunbae_bot: SunbaeBot) -> None:
    """/curate retire by a camper is refused ephemerally; the answer stays active, same version."""
    before = sunbae_bot.core.get_curated("collate-fn")
    interaction = fake_interaction(sunbae_bot, camper())
    cog = curate_cog(sunbae_bot)
    await run(cog, cog.retire, interaction, slug="collate-fn")
    assert interaction.response.send_message.await_args.kwargs["ephemeral"] is True
    assert sunbae_bot.core.get_curated("collate-fn") == before


async def test_camper_cannot_open_the_add_form(sunbae_bot: SunbaeBot) -> None:
    """/curate add by a camper opens no form and adds nothing."""
    count = len(sunbae_bot.core.list_curated())
    interaction = fake_interaction(sunbae_bot, camper())
    cog = curate_cog(sunbae_bot)
    await run(cog, cog.add, interaction)
    interaction.response.send_modal.assert_not_awaited()
    assert len(sunbae_bot.core.list_curated()) == count


async def test_manage_server_counts_as_maintainer(sunbae_bot: SunbaeBot) -> None:
    """A member with Manage Server but without the role may curate."""
    interaction = fake_interaction(sunbae_bot, fake_member(3003, "admin", manage_guild=True))
    cog = curate_cog(sunbae_bot)
    await cog.retire.callback(cog, interaction, slug="collate-fn")
    assert not sunbae_bot.core.get_curated("collate-fn").active


async def test_add_form_creates_a_curated_answer(sunbae_bot: SunbaeBot) -> None:
    """Submitting the add form stores question, answer, phrasings and cited days."""
    modal = CuratedAnswerModal(space=GUILD_SPACE)
    fill(modal.question, "피어세션은 몇 시에 해?")
    fill(modal.answer, "매일 오후 4시에 해요.")
    fill(modal.paraphrases, "피어세션 시간\npeer session time")
    fill(modal.cites, "week2.md · Day 8")
    await modal.on_submit(fake_interaction(sunbae_bot, maintainer()))
    [added] = [v for v in sunbae_bot.core.list_curated() if v.question == "피어세션은 몇 시에 해?"]
    assert added.paraphrases == ("피어세션 시간", "peer session time")
    assert added.author == "maintainer"


async def test_edit_opens_a_form_prefilled_with_the_answer(sunbae_bot: SunbaeBot) -> None:
    """/curate edit shows the current question and answer to change."""
    interaction = fake_interaction(sunbae_bot, maintainer())
    cog = curate_cog(sunbae_bot)
    await cog.edit.callback(cog, interaction, slug="collate-fn")
    modal = interaction.response.send_modal.await_args.args[0]
    assert modal.answer.value == sunbae_bot.core.get_curated("collate-fn").answer


async def test_edit_form_saves_a_new_version(sunbae_bot: SunbaeBot) -> None:
    """Submitting the edit form changes the answer and bumps its version."""
    current = sunbae_bot.core.get_curated("collate-fn")
    modal = CuratedAnswerModal(current, space=GUILD_SPACE)
    fill(modal.answer, "collate_fn은 샘플 리스트를 batch 하나로 합쳐요.")
    await modal.on_submit(fake_interaction(sunbae_bot, maintainer()))
    edited = sunbae_bot.core.get_curated("collate-fn")
    assert edited.answer.startswith("collate_fn은 샘플") and edited.version == current.version + 1


async def test_slug_autocomplete_matches_slug_or_question(sunbae_bot: SunbaeBot) -> None:
    """Typing part of a question offers the curated answers that hold it."""
    cog = curate_cog(sunbae_bot)
    interaction = fake_interaction(sunbae_bot, maintainer())
    choices = await cog.any_slug(interaction, "collate")
    assert "collate-fn" in [choice.value for choice in choices]


async def test_list_shows_every_active_answer(sunbae_bot: SunbaeBot) -> None:
    """/curate list names each shipped curated answer, ephemerally."""
    interaction = fake_interaction(sunbae_bot, maintainer())
    cog = curate_cog(sunbae_bot)
    await cog.list_answers.callback(cog, interaction)
    call = interaction.response.send_message.await_args
    assert call.kwargs["ephemeral"] is True
    assert "`collate-fn`" in call.kwargs["embed"].description


async def test_unanswered_lists_most_asked_first(sunbae_bot: SunbaeBot) -> None:
    """Grouped unanswered questions come most asked first, with their count."""
    core = sunbae_bot.core
    core.settings.answer_threshold = 1.01  # every journal question abstains: a known worklist
    core.ask("피어세션 발표 순서는 어떻게 정해?")
    for _ in range(2):
        core.ask(UNANSWERABLE)
    interaction = fake_interaction(sunbae_bot, maintainer())
    cog = sunbae_bot.get_cog("UnansweredCog")
    await cog.unanswered.callback(cog, interaction)
    text = interaction.response.send_message.await_args.kwargs["embed"].description
    assert text.index(UNANSWERABLE) < text.index("피어세션 발표 순서")
    assert "2×" in text


async def test_answering_an_unanswered_question_curates_it(sunbae_bot: SunbaeBot) -> None:
    """Picking a question from /unanswered and saving the form creates a curated answer."""
    core = sunbae_bot.core
    core.settings.answer_threshold = 1.01
    core.ask(UNANSWERABLE)
    interaction = fake_interaction(sunbae_bot, maintainer())
    cog = sunbae_bot.get_cog("UnansweredCog")
    await cog.unanswered.callback(cog, interaction)
    menu = interaction.followup.send.await_args.kwargs["view"].menu
    menu._values = [menu.options[0].value]  # what discord.py records when a maintainer picks
    pick = fake_interaction(sunbae_bot, maintainer())
    await menu.callback(pick)
    modal = pick.response.send_modal.await_args.args[0]
    fill(modal.answer, "HPA(Horizontal Pod Autoscaler)를 설정하세요.")
    await modal.on_submit(fake_interaction(sunbae_bot, maintainer()))
    assert core.unanswered() == []
    assert core.ask(UNANSWERABLE).kind == "curated"


async def test_edit_of_an_answer_too_long_for_a_form_is_refused(sunbae_bot: SunbaeBot) -> None:
    """An answer over 4000 characters is not opened in a form that would shorten it."""
    sunbae_bot.core.add_curated(question="긴 답", answer="가" * 4500, author="t", slug="long")
    interaction = fake_interaction(sunbae_bot, maintainer())
    cog = curate_cog(sunbae_bot)
    await cog.edit.callback(cog, interaction, slug="long")
    interaction.response.send_modal.assert_not_awaited()
    assert "sunbae curate edit" in interaction.response.send_message.await_args.args[0]


async def test_one_cog_check_guards_every_maintainer_command(sunbae_bot: SunbaeBot) -> None:
    """Every /curate subcommand and /unanswered refuse a camper through the cog's
    interaction_check; the tree's error handler adds no second message."""
    from discord import app_commands

    curate, unanswered = curate_cog(sunbae_bot), sunbae_bot.get_cog("UnansweredCog")
    commands = [*curate.walk_app_commands(), unanswered.unanswered]
    for command in commands:
        interaction = fake_interaction(sunbae_bot, camper())
        assert not await command._check_can_run(interaction), command.qualified_name
        assert "Only maintainers" in interaction.response.send_message.await_args.args[0]
        failure = app_commands.CheckFailure("refused")
        await sunbae_bot.on_app_command_error(interaction, failure)
        interaction.followup.send.assert_not_awaited()
    assert await curate.retire._check_can_run(fake_interaction(sunbae_bot, maintainer()))


async def test_shared_turns_the_shipped_answers_off_for_this_server_only(
        sunbae_bot: SunbaeBot) -> None:
    """/curate shared off: this server no longer gets the shipped curated answers, another
    server still does; a camper cannot turn it back; with no choice it says which."""
    question = "DataLoader의 collate_fn은 무엇을 하나요?"
    core, cog = sunbae_bot.core, curate_cog(sunbae_bot)
    turned = fake_interaction(sunbae_bot, maintainer())
    await run(cog, cog.shared, turned, choice="off")
    assert "does not see" in turned.response.send_message.await_args.args[0]
    assert core.ask(question, space=GUILD_SPACE, record=False).kind != "curated"
    assert core.ask(question, space="discord:1", record=False).kind == "curated"

    await run(cog, cog.shared, fake_interaction(sunbae_bot, camper()), choice="on")
    assert not core.sees_shared(space=GUILD_SPACE)
    shown = fake_interaction(sunbae_bot, maintainer())
    await run(cog, cog.shared, shown)
    assert "does not see" in shown.response.send_message.await_args.args[0]
    await run(cog, cog.shared, fake_interaction(sunbae_bot, maintainer()), choice="default")
    assert core.ask(question, space=GUILD_SPACE, record=False).kind == "curated"
