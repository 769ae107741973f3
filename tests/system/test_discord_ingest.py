"""/ingest and /forget: readable notes stored and reported, anything else refused whole."""

from __future__ import annotations

from bot.discord_app import SunbaeBot
from bot.exts.ingest._paste_modal import PastedNoteModal
from tests.discord_fakes import (
    GUILD_ID,
    camper,
    fake_attachment,
    fake_interaction,
    fill,
    maintainer,
)

pytest_plugins = ["tests.discord_fixtures"]

NOTE = "## Day 12 (11/21)\n오늘은 transformer의 positional encoding을 배웠다.\n".encode()


def key(name: str) -> str:
    """The core key of a note of the test server."""
    return f"discord:{GUILD_ID}/{name}"


async def ingest(bot: SunbaeBot, user_id: int = 1001, **options):  # type: ignore[no-untyped-def]
    """Run /ingest as a camper; returns the fake interaction."""
    interaction = fake_interaction(bot, camper(user_id))
    cog = bot.get_cog("IngestCog")
    await cog.ingest.callback(cog, interaction, **options)
    return interaction


def replies(interaction) -> str:  # type: ignore[no-untyped-def]
    """Everything the interaction said back, as one text."""
    calls = (interaction.response.send_message.await_args_list
             + interaction.followup.send.await_args_list)
    return "\n".join(str(arg) for call in calls for arg in call.args)


async def test_utf8_attachment_is_added_and_reported(sunbae_bot: SunbaeBot) -> None:
    """A UTF-8 .md attachment is stored under this server and the reply says it was added."""
    interaction = await ingest(sunbae_bot, file=fake_attachment("week3.md", NOTE))
    assert sunbae_bot.core.source_exists(key("week3.md"))
    assert "added 1" in replies(interaction)


async def test_non_utf8_attachment_is_refused_and_nothing_stored(sunbae_bot: SunbaeBot) -> None:
    """A CP949 file is refused with its name and reason; its good companion is not stored."""
    bad = fake_attachment("cp949.md", "오늘은 배운 것".encode("cp949"))
    interaction = await ingest(sunbae_bot, file=fake_attachment("good.md", NOTE), file2=bad)
    assert "not UTF-8" in replies(interaction)
    assert not sunbae_bot.core.source_exists(key("good.md"))
    assert not sunbae_bot.core.source_exists(key("cp949.md"))


async def test_oversize_attachment_is_refused_before_download(sunbae_bot: SunbaeBot) -> None:
    """A file over the size limit is refused without being downloaded or stored."""
    limit = sunbae_bot.discord_settings.max_attachment_bytes
    big = fake_attachment("huge.md", NOTE, size=limit + 1)
    interaction = await ingest(sunbae_bot, file=big)
    big.read.assert_not_awaited()
    assert "over the" in replies(interaction) and "Nothing was stored" in replies(interaction)
    assert not sunbae_bot.core.source_exists(key("huge.md"))


async def test_binary_file_type_is_refused(sunbae_bot: SunbaeBot) -> None:
    """A file that is not .md or .txt is refused by name."""
    interaction = await ingest(sunbae_bot, file=fake_attachment("slides.pdf", b"%PDF-1.4"))
    assert "slides.pdf" in replies(interaction)
    assert not sunbae_bot.core.source_exists(key("slides.pdf"))


async def test_someone_elses_note_cannot_be_replaced(sunbae_bot: SunbaeBot) -> None:
    """A second camper uploading the same file name is refused; the first version stays."""
    await ingest(sunbae_bot, user_id=1, file=fake_attachment("shared.md", NOTE))
    other = NOTE.replace(b"positional", b"relative")
    interaction = await ingest(sunbae_bot, user_id=2, file=fake_attachment("shared.md", other))
    assert "Only a note's author" in replies(interaction)
    assert sunbae_bot.core.source_author(key("shared.md")) == "discord:1"


async def test_author_may_replace_their_note(sunbae_bot: SunbaeBot) -> None:
    """The same camper uploading a changed file replaces it."""
    await ingest(sunbae_bot, user_id=1, file=fake_attachment("mine.md", NOTE))
    changed = NOTE + "내일은 attention을 배운다.\n".encode()
    interaction = await ingest(sunbae_bot, user_id=1, file=fake_attachment("mine.md", changed))
    assert "changed 1" in replies(interaction)


async def test_pasted_text_needs_a_title(sunbae_bot: SunbaeBot) -> None:
    """Pasted text without a title is refused and nothing is stored."""
    interaction = await ingest(sunbae_bot, text="오늘은 CNN을 배웠다.")
    assert "needs a title" in replies(interaction)


async def test_no_file_and_no_text_opens_the_paste_form(sunbae_bot: SunbaeBot) -> None:
    """/ingest alone opens a form for a title and the text."""
    interaction = await ingest(sunbae_bot)
    assert isinstance(interaction.response.send_modal.await_args.args[0], PastedNoteModal)


async def test_paste_form_stores_the_note_under_its_title(sunbae_bot: SunbaeBot) -> None:
    """Submitting the paste form ingests the text under the given title."""
    modal = PastedNoteModal()
    fill(modal.note_title, "Day 12 정리")
    fill(modal.text, NOTE.decode())
    await modal.on_submit(fake_interaction(sunbae_bot, camper()))
    assert sunbae_bot.core.source_exists(key("Day 12 정리"))


async def test_forget_by_another_camper_is_refused(sunbae_bot: SunbaeBot) -> None:
    """/forget of someone else's note keeps it."""
    await ingest(sunbae_bot, user_id=1, file=fake_attachment("keep.md", NOTE))
    interaction = fake_interaction(sunbae_bot, camper(2))
    cog = sunbae_bot.get_cog("IngestCog")
    await cog.forget.callback(cog, interaction, name="keep.md")
    assert sunbae_bot.core.source_exists(key("keep.md"))


async def test_maintainer_may_forget_any_note(sunbae_bot: SunbaeBot) -> None:
    """/forget by a maintainer removes a camper's note."""
    await ingest(sunbae_bot, user_id=1, file=fake_attachment("old.md", NOTE))
    cog = sunbae_bot.get_cog("IngestCog")
    await cog.forget.callback(cog, fake_interaction(sunbae_bot, maintainer()), name="old.md")
    assert not sunbae_bot.core.source_exists(key("old.md"))


def with_upload_limits(bot: SunbaeBot, *, cooldown: float, per_hour: int) -> None:
    """Give the bot's core real upload limits (the fixture turns the cooldown off)."""
    bot.core.settings = bot.core.settings.model_copy(
        update={"ingest_cooldown_s": cooldown, "ingest_bytes_per_hour": per_hour})


async def test_second_upload_within_the_cooldown_is_held(sunbae_bot: SunbaeBot) -> None:
    """A camper uploading twice in a row is told, in both languages, when to try again."""
    with_upload_limits(sunbae_bot, cooldown=60, per_hour=1_000_000)
    await ingest(sunbae_bot, user_id=1, file=fake_attachment("one.md", NOTE))
    interaction = await ingest(sunbae_bot, user_id=1, file=fake_attachment("two.md", NOTE))
    assert "다시 올릴 수 있어요" in replies(interaction)
    assert "try again in" in replies(interaction) and " s." in replies(interaction)
    assert not sunbae_bot.core.source_exists(key("two.md"))


async def test_maintainer_is_not_held_by_the_cooldown(sunbae_bot: SunbaeBot) -> None:
    """A maintainer uploading the cohort's notes one after another is not held."""
    with_upload_limits(sunbae_bot, cooldown=60, per_hour=1_000_000)
    cog = sunbae_bot.get_cog("IngestCog")
    for name in ("a.md", "b.md"):
        await cog.ingest.callback(cog, fake_interaction(sunbae_bot, maintainer()),
                                  file=fake_attachment(name, NOTE))
    assert sunbae_bot.core.source_exists(key("b.md"))


async def test_server_quota_is_shared_by_its_campers(sunbae_bot: SunbaeBot) -> None:
    """Once the server's hourly bytes are used, another camper is told to wait minutes."""
    with_upload_limits(sunbae_bot, cooldown=0, per_hour=len(NOTE) + 10)
    await ingest(sunbae_bot, user_id=1, file=fake_attachment("one.md", NOTE))
    interaction = await ingest(sunbae_bot, user_id=2, file=fake_attachment("two.md", NOTE))
    assert "한 시간에 올릴 수 있는 양" in replies(interaction)
    assert "min." in replies(interaction)
    assert not sunbae_bot.core.source_exists(key("two.md"))


async def test_refused_upload_does_not_start_the_cooldown(sunbae_bot: SunbaeBot) -> None:
    """A file refused as unreadable gives its reservation back: the camper may retry at once."""
    with_upload_limits(sunbae_bot, cooldown=60, per_hour=1_000_000)
    await ingest(sunbae_bot, user_id=1, file=fake_attachment("bad.md", "한글".encode("cp949")))
    interaction = await ingest(sunbae_bot, user_id=1, file=fake_attachment("good.md", NOTE))
    assert "added 1" in replies(interaction)


async def test_title_names_the_one_attached_file(sunbae_bot: SunbaeBot) -> None:
    """With one file and no pasted text, the title is the note's name."""
    interaction = await ingest(sunbae_bot, file=fake_attachment("x.md", NOTE), title="Day 12 정리")
    assert "added 1" in replies(interaction)
    assert sunbae_bot.core.source_exists(key("Day 12 정리"))
    assert not sunbae_bot.core.source_exists(key("x.md"))


async def test_title_with_several_files_is_refused(sunbae_bot: SunbaeBot) -> None:
    """A title could name any of several files: refused, nothing downloaded or stored."""
    first, second = fake_attachment("a.md", NOTE), fake_attachment("b.md", NOTE)
    interaction = await ingest(sunbae_bot, file=first, file2=second, title="묶음")
    assert "A title names one file" in replies(interaction)
    first.read.assert_not_awaited()
    assert not sunbae_bot.core.source_exists(key("a.md"))


async def test_title_with_pasted_text_names_the_text_and_files_keep_theirs(
        sunbae_bot: SunbaeBot) -> None:
    """With pasted text, the title belongs to the text; the file keeps its own name."""
    await ingest(sunbae_bot, file=fake_attachment("x.md", NOTE), title="붙인 글",
                 text=NOTE.decode())
    assert sunbae_bot.core.source_exists(key("x.md"))
    assert sunbae_bot.core.source_exists(key("붙인 글"))


async def test_whitespace_only_pasted_text_is_refused(sunbae_bot: SunbaeBot) -> None:
    """Blank pasted text is refused, by the command and by the form."""
    interaction = await ingest(sunbae_bot, title="빈 노트", text="  \n\t ")
    assert "empty" in replies(interaction)
    modal = PastedNoteModal()
    fill(modal.note_title, "빈 노트")
    fill(modal.text, " \n \n")
    submitted = fake_interaction(sunbae_bot, camper())
    await modal.on_submit(submitted)
    assert "empty" in replies(submitted)
    assert not sunbae_bot.core.source_exists(key("빈 노트"))


async def test_forget_offers_a_campers_own_notes_and_a_maintainer_all(
        sunbae_bot: SunbaeBot) -> None:
    """Autocomplete for /forget: this server's notes; a camper sees only their own."""
    await ingest(sunbae_bot, user_id=1, file=fake_attachment("mine.md", NOTE))
    await ingest(sunbae_bot, user_id=2, file=fake_attachment("theirs.md", NOTE))
    cog = sunbae_bot.get_cog("IngestCog")
    own = await cog.own_notes(fake_interaction(sunbae_bot, camper(1)), "")
    assert [choice.value for choice in own] == ["mine.md"]
    every = await cog.own_notes(fake_interaction(sunbae_bot, maintainer()), "")
    assert [choice.value for choice in every] == ["mine.md", "theirs.md"]
    typed = await cog.own_notes(fake_interaction(sunbae_bot, maintainer()), "THE")
    assert [choice.value for choice in typed] == ["theirs.md"]


async def test_forget_offers_nothing_from_another_server(sunbae_bot: SunbaeBot) -> None:
    """A maintainer of another server is offered none of this server's notes."""
    await ingest(sunbae_bot, user_id=1, file=fake_attachment("mine.md", NOTE))
    cog = sunbae_bot.get_cog("IngestCog")
    elsewhere = fake_interaction(sunbae_bot, maintainer(), guild_id=GUILD_ID + 1)
    assert await cog.own_notes(elsewhere, "") == []


async def test_source_offers_the_days_this_server_sees(sunbae_bot: SunbaeBot) -> None:
    """Autocomplete for /source: days of the shared sample and this server's notes."""
    await ingest(sunbae_bot, user_id=1, file=fake_attachment("week3.md", NOTE))
    cog = sunbae_bot.get_cog("SourceCog")
    days = [choice.value for choice in await cog.days(fake_interaction(sunbae_bot, camper()),
                                                      "")]
    assert "Day 8" in days and "week3.md · Day 12 (11/21)" in days
    typed = await cog.days(fake_interaction(sunbae_bot, camper()), "11/15")
    assert [choice.value for choice in typed] == ["Day 8"]
