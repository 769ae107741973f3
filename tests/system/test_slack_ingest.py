"""/ingest on Slack: a modal with a file input; files fetched with the bot token; the same
size, encoding and ownership rules as on Discord; a refused note stores nothing."""

from __future__ import annotations

from bot.slack.ingest import note_key
from bot.slack.modals import INGEST
from bot.slack.transport import SlackTransport
from tests.slack_mock import CAMPER, MAINTAINER, SPACE, TEAM, MockSlack, command, push, submission

pytest_plugins = ["tests.slack_fixtures"]

NOTE = "# Day 1\n\n슬랙에서 올린 노트: 해시 조인은 작은 테이블로 해시 테이블을 만든다.\n"
META = {"channel": "CQA"}


def told(slack_api: MockSlack) -> str:
    """The last private line the person who ingested was told."""
    return slack_api.called("chat.postEphemeral")[-1]["text"]


async def test_ingest_command_opens_a_modal_with_a_file_input(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """Slash commands carry no files, so /ingest opens a modal that does."""
    await push(slack, command("/ingest", "", slack_api.response_url()))
    view = slack_api.called("views.open")[0]["view"]
    assert view["callback_id"] == INGEST
    element = view["blocks"][0]["element"]
    assert element["type"] == "file_input" and "md" in element["filetypes"]


async def test_utf8_file_is_downloaded_with_the_bot_token_and_stored(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """The file comes from url_private (the mock refuses a download without the token)."""
    file = slack_api.file("hash-join.md", NOTE.encode())
    await push(slack, submission(INGEST, {"files": [file], "title": "", "text": ""}, META))
    assert slack_api.downloads == ["hash-join.md"]
    author = slack.core.core.source_author(note_key(TEAM, "hash-join.md"), space=SPACE)
    assert author == f"slack:{TEAM}/{CAMPER}"
    assert "added 1" in told(slack_api)


async def test_pasted_text_is_stored_under_its_title(slack: SlackTransport,
                                                     slack_api: MockSlack) -> None:
    """A title and pasted text make a note of their own."""
    await push(slack, submission(INGEST, {"files": [], "title": "붙여넣기", "text": NOTE}, META))
    assert slack.core.core.source_exists(note_key(TEAM, "붙여넣기"), space=SPACE)


async def test_non_utf8_file_is_refused_and_nothing_is_stored(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """A CP949 note is refused with the reason, together with a good file sent with it."""
    sources = slack.core.core.stats(space=SPACE).sources
    good = slack_api.file("good.md", NOTE.encode())
    bad = slack_api.file("cp949.md", NOTE.encode("cp949"))
    await push(slack, submission(INGEST, {"files": [good, bad], "title": "", "text": ""}, META))
    assert "not UTF-8" in told(slack_api) and "Nothing was stored" in told(slack_api)
    assert slack.core.core.stats(space=SPACE).sources == sources


async def test_oversize_file_is_refused_before_downloading(slack: SlackTransport,
                                                           slack_api: MockSlack) -> None:
    """A file Slack says is over the limit is never fetched."""
    sources = slack.core.core.stats(space=SPACE).sources
    big = slack_api.file("big.md", b"x" * 20_000)
    await push(slack, submission(INGEST, {"files": [big], "title": "", "text": ""}, META))
    assert slack_api.downloads == []
    assert "over the" in told(slack_api) and "Nothing was stored" in told(slack_api)
    assert slack.core.core.stats(space=SPACE).sources == sources


async def test_file_larger_than_declared_is_refused(slack: SlackTransport,
                                                    slack_api: MockSlack) -> None:
    """The limit holds on the bytes read too, whatever size the payload claims."""
    sources = slack.core.core.stats(space=SPACE).sources
    liar = slack_api.file("liar.md", b"x" * 20_000, size=10)
    await push(slack, submission(INGEST, {"files": [liar], "title": "", "text": ""}, META))
    assert "Nothing was stored" in told(slack_api)
    assert slack.core.core.stats(space=SPACE).sources == sources


async def test_someone_elses_note_is_not_replaced(slack: SlackTransport,
                                                  slack_api: MockSlack) -> None:
    """Only a note's author or a maintainer may replace it."""
    first = slack_api.file("shared.md", NOTE.encode())
    await push(slack, submission(INGEST, {"files": [first], "title": "", "text": ""}, META))
    changed = slack_api.file("shared.md", (NOTE + "\n바뀐 내용\n").encode())
    await push(slack, submission(INGEST, {"files": [changed], "title": "", "text": ""}, META,
                                 user="UOTHER"))
    assert "Only a note's author" in told(slack_api)
    await push(slack, submission(INGEST, {"files": [changed], "title": "", "text": ""}, META,
                                 user=MAINTAINER))
    assert "changed 1" in told(slack_api)


async def test_empty_submission_keeps_the_modal_open_with_an_error(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """Neither a file nor text: the modal answers with an error on the file field."""
    response = await push(slack, submission(INGEST, {"files": [], "title": "", "text": ""}, META))
    assert '"response_action": "errors"' in response.body
    assert slack_api.called("chat.postEphemeral") == []


async def test_upload_within_the_cooldown_is_held(slack: SlackTransport,
                                                  slack_api: MockSlack) -> None:
    """On Slack too, a second upload right after the first is told when to try again."""
    core = slack.core.core
    core.settings = core.settings.model_copy(update={"ingest_cooldown_s": 60})
    await push(slack, submission(INGEST, {"files": [], "title": "첫째", "text": NOTE}, META))
    await push(slack, submission(INGEST, {"files": [], "title": "둘째", "text": NOTE}, META))
    assert "try again in" in told(slack_api) and "다시 올릴 수 있어요" in told(slack_api)
    assert not core.source_exists(note_key(TEAM, "둘째"), space=SPACE)
