"""Slack formatting: Markdown to mrkdwn, nothing pings, Block Kit limits, settings, manifest."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from bot.settings import SlackSettings
from bot.slack.asking import question_text
from bot.slack.blocks import answer_blocks, messages_of, source_name
from bot.slack.facade import space_of
from bot.slack.mrkdwn import (
    BLOCKS_PER_MESSAGE,
    SECTION_TEXT_LIMIT,
    ZERO_WIDTH_SPACE,
    escape,
    split_mrkdwn,
    to_mrkdwn,
)
from knowledge.views import Answer, Citation

MANIFEST = Path(__file__).resolve().parents[2] / "bot" / "slack" / "manifest.yml"


def answer(text: str, citations: int = 1, ask_id: int | None = 7) -> Answer:
    """A passage answer with `citations` citations of Day 8."""
    cited = [Citation(source="/notes/week2.md", label="Week 2 · Day 8 (11/15)", day="8",
                      week=2, date="11/15", quote=f"quote {i} <!here>", section_id=i)
             for i in range(citations)]
    return Answer(question="q?", text=text, kind="passage", confidence=0.9, language="ko",
                  citations=cited, ask_id=ask_id)


def test_markdown_becomes_mrkdwn() -> None:
    """Bold, italics, strike, links, headings and bullets in Slack's own syntax."""
    converted = to_mrkdwn("# Title\n**bold**, *it*, ~~gone~~\n- item\n"
                          "[docs](https://x.y/?a=1&b=2)")
    assert converted == ("*Title*\n*bold*, _it_, ~gone~\n• item\n"
                         "<https://x.y/?a=1&amp;b=2|docs>")


def test_code_is_kept_and_escaped_but_not_restyled() -> None:
    """Code keeps its asterisks; its `<` is escaped; a fence's language tag is dropped."""
    assert to_mrkdwn("`a**b**` and\n```python\nx < 2\n```") == "`a**b**` and\n```\nx &lt; 2\n```"


def test_special_mentions_are_escaped() -> None:
    """<!channel>, <!here>, <@U…> and a bare @here come out inert."""
    text = to_mrkdwn("<!channel> <!here> <@U123> @here & [x](javascript:alert(1))")
    assert "<" not in text and ">" not in text.replace("&gt;", "")
    assert f"@{ZERO_WIDTH_SPACE}here" in text and "&amp;" in text
    assert escape("a<b>&c") == "a&lt;b&gt;&amp;c"


def test_long_text_is_split_within_the_section_limit() -> None:
    """Pieces stay under 3000 characters, broken at spaces, and lose no word."""
    text = " ".join(f"word{i}" for i in range(2000))
    pieces = split_mrkdwn(text)
    assert all(len(p) <= SECTION_TEXT_LIMIT for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_a_split_never_cuts_an_escape() -> None:
    """A hard cut steps back out of `&amp;`."""
    pieces = split_mrkdwn(escape("&" * 2000))
    assert all(p.endswith(";") for p in pieces)


def test_a_cut_code_block_is_closed_and_reopened() -> None:
    """Each piece of a long code block is a code block of its own."""
    pieces = split_mrkdwn("```\n" + "x = 1\n" * 1000 + "```")
    assert len(pieces) > 1 and all(p.count("```") == 2 for p in pieces)


def test_answer_blocks_fit_slack_limits() -> None:
    """A long answer with many citations: sections under 3000, messages under 50 blocks,
    the buttons on the last message."""
    blocks = answer_blocks(answer("가나다라 " * 40_000, citations=12))
    messages = messages_of(blocks)
    assert len(messages) > 1 and all(len(m) <= BLOCKS_PER_MESSAGE for m in messages)
    assert all(len(b["text"]["text"]) <= SECTION_TEXT_LIMIT
               for b in blocks if b["type"] == "section")
    assert any(b["type"] == "actions" for b in messages[-1])
    assert "<!here>" not in json.dumps(blocks)


def test_unlogged_answer_has_no_buttons() -> None:
    """Without an ask id there is nothing to vote on."""
    assert not any(b["type"] == "actions" for b in answer_blocks(answer("hi", ask_id=None)))


def test_source_name_of_a_slack_note() -> None:
    """A Slack note key shows as its file name."""
    assert source_name("slack:T1/my notes.md") == "my notes.md"


def test_space_of_a_workspace() -> None:
    """One space per Slack team."""
    assert space_of("T123") == "slack:T123"


def test_tokens_are_secret(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Both tokens come from SLACK_BOT_TOKEN / SLACK_APP_TOKEN and never show in a repr."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-secret")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-secret")
    monkeypatch.setenv("SUNBAE_SLACK_MAINTAINER_IDS", "U1, U2")
    settings = SlackSettings(_env_file=None)
    assert settings.configured and settings.maintainer_ids == ["U1", "U2"]
    assert "secret" not in repr(settings) and "secret" not in str(settings.model_dump())


def test_manifest_subscribes_to_what_the_app_handles() -> None:
    """The manifest's events, commands and scopes match the listeners."""
    manifest = yaml.safe_load(MANIFEST.read_text())
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_mention", "message.channels", "message.groups", "message.im"} <= events
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {"/ask", "/ingest", "/curate", "/unanswered", "/stats", "/sunbae"}
    # Commands that name a channel get it escaped (`<#C…|name>`), so its id is known.
    escaped = {c["command"] for c in manifest["features"]["slash_commands"]
               if c.get("should_escape")}
    assert {"/curate", "/sunbae"} <= escaped
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "files:read", "im:history",
            "channels:history", "reactions:write", "usergroups:read"} <= scopes
    assert manifest["settings"]["socket_mode_enabled"] is True


def test_question_text_drops_the_mention_and_slacks_escapes() -> None:
    """Sunbae's mention out, links as their labels, `&lt;` back to `<`, one line."""
    text = "<@UBOT>  what is <https://x.y|x.y> &amp; a &lt;b&gt;?\n"
    assert question_text(text, "UBOT") == "what is x.y & a <b>?"


def test_an_abstention_says_it_was_logged_not_sent() -> None:
    """The footer claims only what always happened: the question is in the unanswered list
    (a card reaches the maintainers only where a channel is set)."""
    abstained = Answer(question="q?", text="모르겠어요", kind="abstain", confidence=0.1,
                       language="ko", ask_id=9)
    text = json.dumps(answer_blocks(abstained), ensure_ascii=False)
    assert "메인테이너 목록에 기록했어요" in text  # the question is Korean: Korean labels
    assert "have been told" not in text and "Sent to" not in text
    assert "전달했어요" not in text
