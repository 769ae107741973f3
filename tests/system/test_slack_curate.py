"""/curate and /unanswered on Slack: maintainers only, with modals; others change nothing."""

from __future__ import annotations

from bot.slack.blocks import SAVE_CURATED
from bot.slack.modals import CURATED
from bot.slack.transport import SlackTransport
from tests.slack_mock import MAINTAINER, SPACE, MockSlack, command, push, submission

pytest_plugins = ["tests.slack_fixtures"]

SLUG = "collate-fn"


def curated_state(slack: SlackTransport) -> list[tuple[str, bool, int]]:
    """Every curated answer's slug, whether it is active, and its version."""
    return [(v.slug, v.active, v.version)
            for v in slack.core.core.list_curated(include_retired=True, space=SPACE)]


async def test_camper_is_refused_every_curate_command_and_nothing_changes(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """add, edit, retire and list are refused to a non-maintainer; no modal, no change."""
    before = curated_state(slack)
    for text in ("add", f"edit {SLUG}", f"retire {SLUG}", "list"):
        await push(slack, command("/curate", text, slack_api.response_url()))
    assert slack_api.called("views.open") == []
    refusals = slack_api.called("respond")
    assert len(refusals) == 4
    assert all("Only maintainers" in r["text"] for r in refusals)
    assert curated_state(slack) == before


async def test_camper_is_refused_unanswered(slack: SlackTransport, slack_api: MockSlack) -> None:
    """/unanswered is for maintainers."""
    await push(slack, command("/unanswered", "", slack_api.response_url()))
    assert "Only maintainers" in slack_api.called("respond")[0]["text"]


async def test_maintainer_adds_a_curated_answer_through_the_modal(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """/curate add opens the modal; its submission creates an answer that questions match."""
    await push(slack, command("/curate", "add", slack_api.response_url(), user=MAINTAINER))
    assert slack_api.called("views.open")[0]["view"]["callback_id"] == CURATED
    question = "슬랙 앱은 어떻게 설치해?"
    await push(slack, submission(CURATED, {
        "question": question, "answer": "매니페스트로 앱을 만들고 토큰 두 개를 설정해요.",
        "paraphrases": "How do I install the Slack app?\n", "cites": ""},
        {"channel": "CQA", "slug": None}, user=MAINTAINER))
    answer = slack.core.core.ask(question, record=False, space=SPACE)
    assert answer.kind == "curated" and answer.text.startswith("매니페스트로")
    assert answer.curated_author == MAINTAINER.lower()  # the Slack name, not a member id


async def test_maintainer_edits_and_retires(slack: SlackTransport, slack_api: MockSlack) -> None:
    """edit opens the modal prefilled and saves a new version; retire stops the answer."""
    await push(slack, command("/curate", f"edit {SLUG}", slack_api.response_url(),
                              user=MAINTAINER))
    view = slack_api.called("views.open")[0]["view"]
    old = slack.core.core.get_curated(SLUG, space=SPACE)
    assert view["blocks"][1]["element"]["initial_value"] == old.answer
    await push(slack, submission(CURATED, {"question": old.question, "answer": "새 답변.",
                                           "paraphrases": "", "cites": ""},
                                 {"channel": "CQA", "slug": SLUG}, user=MAINTAINER))
    edited = slack.core.core.get_curated(SLUG, space=SPACE)
    assert (edited.answer, edited.version) == ("새 답변.", old.version + 1)
    await push(slack, command("/curate", f"retire {SLUG}", slack_api.response_url(),
                              user=MAINTAINER))
    assert not slack.core.core.get_curated(SLUG, space=SPACE).active


async def test_unanswered_lists_questions_with_answer_buttons(
        slack: SlackTransport, slack_api: MockSlack) -> None:
    """An abstention shows up in /unanswered with "Answer this" carrying its ask ids."""
    slack.core.core.settings.answer_threshold = 1.01  # makes the abstention certain
    answer = slack.core.core.ask("쿠버네티스 파드 오토스케일링은 어떻게 설정해?", space=SPACE)
    await push(slack, command("/unanswered", "", slack_api.response_url(), user=MAINTAINER))
    blocks = slack_api.called("respond")[0]["blocks"]
    buttons = [b["accessory"] for b in blocks]
    assert buttons[0]["action_id"] == SAVE_CURATED
    assert str(answer.ask_id) in buttons[0]["value"].split(",")


async def test_maintainer_user_group_counts(slack: SlackTransport, slack_api: MockSlack) -> None:
    """A member of the configured user group is a maintainer (read from usergroups.users.list)."""
    slack.settings.maintainer_ids = []
    slack.settings.maintainer_group = "SMAINT"
    await push(slack, command("/curate", "list", slack_api.response_url(), user=MAINTAINER))
    assert slack_api.called("usergroups.users.list")[0]["usergroup"] == "SMAINT"
    assert SLUG in slack_api.called("respond")[0]["text"]


async def test_camper_is_refused_stats(slack: SlackTransport, slack_api: MockSlack) -> None:
    """/stats is for maintainers."""
    await push(slack, command("/stats", "", slack_api.response_url()))
    assert "Only maintainers" in slack_api.called("respond")[0]["text"]


async def test_maintainer_sees_the_workspaces_stats(slack: SlackTransport,
                                                    slack_api: MockSlack) -> None:
    """/stats 30 shows the workspace's asks and votes with the 👎 reason, to the asker."""
    asked = slack.core.core.ask("두런두런 행사 얘기 해줘", user="slack:u", space=SPACE)
    assert asked.ask_id is not None
    slack.core.core.vote(asked.ask_id, "slack:u", -1, space=SPACE)
    slack.core.core.explain_vote(asked.ask_id, "slack:u", "outdated", space=SPACE)
    await push(slack, command("/stats", "30", slack_api.response_url(), user=MAINTAINER))
    said = slack_api.called("respond")[0]
    assert said["response_type"] == "ephemeral"
    assert "Last 30 days: 1 asks" in said["text"] and "👎 outdated: 1" in said["text"]
