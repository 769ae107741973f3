"""Replies in the question's language: one label table, Korean-only or English-only answers on
Discord's embeds and Slack's blocks, and the buttons' custom ids carrying the language."""

from __future__ import annotations

import json
import re
from dataclasses import fields

import pytest

from bot.answer_labels import (
    LABELS,
    REASON_KEYS,
    AnswerLabels,
    cooldown_text,
    could_not_answer,
    labels_for,
    vote_thanks,
)
from bot.exts.ask._buttons import MoreSourcesButton, VoteButton, answer_view
from bot.exts.ask._reasons import ReasonButton, reasons_view
from bot.slack.blocks import answer_blocks, more_sources_blocks
from bot.utils.answer_embeds import answer_embeds, more_sources_embed
from knowledge.errors import EmptyQuestion, StoreUnavailable
from knowledge.language import locale_language, question_language
from knowledge.views import Answer, Citation

KOREAN = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"
MIXED = "DataLoader에서 collate_fn은 무슨 역할을 해?"
ENGLISH = "What does collate_fn do in a DataLoader?"


def phrases(words: AnswerLabels) -> list[str]:
    """Every fixed phrase of a table (the parts around `{author}` / `{wait}`), emoji out."""
    found: list[str] = []
    for item in fields(words):
        value = getattr(words, item.name)
        texts = value.values() if isinstance(value, dict) else [value]
        for text in texts:
            for part in re.split(r"\{[a-z]+\}| · ", text):
                part = re.sub(r"[^\w\s가-힣.,;:?!'()]", "", part).strip(" ·:.")
                if len(part) >= 2:
                    found.append(part)
    return found


def answer(language: str, kind: str = "passage") -> Answer:
    """An answer of `kind` to a question in `language`, with a linked citation and an ask id."""
    question = KOREAN if language == "ko" else ENGLISH
    citation = Citation(source="discord:1/week2.md", label="Week 2 · Day 8 (11/15)", day="Day 8",
                        week=2, date="11/15", quote="꾸준함", section_id=1,
                        url="https://notes.example/w2")
    return Answer(question=question, text="…", kind=kind, confidence=0.5,  # type: ignore[arg-type]
                  language=language, citations=[] if kind == "abstain" else [citation],
                  nearest_topics=["Week 1 · Day 3"] if kind == "abstain" else [],
                  curated_author="maintainer" if kind == "curated" else None, ask_id=7)


def discord_text(shown: Answer, *, sent: bool = False) -> str:
    """Everything an answer's embeds and buttons show."""
    embeds = [e.to_dict() for e in answer_embeds(shown, sent_to_maintainers=sent)]
    view = answer_view(shown.ask_id, abstained=shown.kind == "abstain", language=shown.language)
    labels = [getattr(item, "item", item).label for item in view.children] if view else []
    return json.dumps([embeds, labels], ensure_ascii=False)


def slack_text(shown: Answer) -> str:
    """Everything an answer's blocks show."""
    return json.dumps(answer_blocks(shown, show_question=True), ensure_ascii=False)


@pytest.mark.parametrize(("text", "language"), [(KOREAN, "ko"), (MIXED, "ko"), (ENGLISH, "en")])
def test_a_question_is_korean_when_it_has_hangul(text: str, language: str) -> None:
    """Korean, and Korean mixed with English, read as Korean; pure English as English."""
    assert question_language(text) == language


def test_both_languages_label_everything() -> None:
    """The two tables fill every label, and the 👎 reasons are the stored reason keys."""
    for words in LABELS.values():
        assert all(getattr(words, item.name) for item in fields(words))
        assert tuple(words.reasons) == REASON_KEYS
    assert labels_for("fr") == labels_for("ko") == LABELS["ko"]


@pytest.mark.parametrize("kind", ["passage", "curated", "abstain"])
@pytest.mark.parametrize(("language", "other"), [("ko", "en"), ("en", "ko")])
@pytest.mark.parametrize("render", [discord_text, slack_text])
def test_an_answer_shows_only_its_questions_language(render: object, kind: str,
                                                     language: str, other: str) -> None:
    """A Korean question gets Korean labels only, an English one English only, on both
    transports, whatever the kind of answer."""
    shown = render(answer(language, kind))  # type: ignore[operator]
    leaked = [p for p in phrases(LABELS[other]) if p in shown]
    assert not leaked
    words = labels_for(language)
    expected = {"passage": words.from_journals, "abstain": words.not_answered,
                "curated": words.curated_by.format(author="maintainer")}[kind]
    assert expected in shown
    if kind == "abstain":
        assert words.logged_for_maintainers in shown and words.nearest_topics in shown
    else:
        assert words.open_link in shown


def test_discord_footer_says_sent_in_the_questions_language() -> None:
    """Once a card went out, the footer says so in the question's language."""
    assert labels_for("en").sent_to_maintainers in discord_text(answer("en", "abstain"), sent=True)
    assert labels_for("ko").sent_to_maintainers in discord_text(answer("ko", "abstain"), sent=True)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_more_sources_reply_follows_the_language(language: str) -> None:
    """The "More sources" reply, with or without further notes, on both transports."""
    words = labels_for(language)
    found, empty = answer(language), answer(language, "abstain")
    assert more_sources_embed(found).title == words.more_sources
    assert more_sources_embed(empty).description == words.no_more_sources
    assert more_sources_blocks(found)[0]["text"]["text"] == f"*{words.more_sources}*"
    assert json.dumps(more_sources_blocks(empty), ensure_ascii=False).count(
        words.no_more_sources) == 1


def test_acknowledgements_and_cooldown_follow_the_language() -> None:
    """👍/👎 thanks and the cooldown, each in one language."""
    assert vote_thanks("en", 1, 2, 0) == "Thanks for the feedback! 👍 2 · 👎 0"
    assert vote_thanks("ko", -1, 0, 1) == "알려줘서 고마워요, 더 나아질게요. 👍 0 · 👎 1"
    assert cooldown_text("en", 2.2) == "⏳ One question at a time: please ask again in 3 s."
    assert cooldown_text("ko", 0.1) == "⏳ 잠깐만요! 1초 뒤에 다시 물어봐 주세요."


def test_buttons_carry_the_language_and_are_rebuilt_with_it() -> None:
    """A button's custom id ends in its question's language; an older id without one still
    matches (its replies then follow the clicker's locale)."""
    for button in (VoteButton(5, -1, "en"), MoreSourcesButton(5, "en"),
                   ReasonButton(5, "outdated", "en")):
        assert button.custom_id.endswith(":en")
        template = type(button).__discord_ui_compiled_template__
        assert template.fullmatch(button.custom_id)["language"] == "en"
        assert template.fullmatch(button.custom_id.removesuffix(":en"))["language"] is None
    assert MoreSourcesButton(5, "ko").item.label == "출처 더 보기"
    labels = [item.item.label for item in reasons_view(5, "en").children]
    assert labels == list(labels_for("en").reasons.values())


@pytest.mark.parametrize(("locale", "language"), [("ko", "ko"), ("en-US", "en"), (None, "en")])
def test_a_reply_without_a_question_follows_the_locale(locale: str | None,
                                                       language: str) -> None:
    """Discord's Korean locale gives Korean, any other English."""
    assert locale_language(locale) == language


def test_an_outage_is_told_in_the_questions_language_and_a_refusal_as_worded() -> None:
    """"Try again shortly" follows the question; an empty question keeps the core's words."""
    down = StoreUnavailable("connection refused")
    assert could_not_answer(down, "collate_fn 이 뭐야?") == LABELS["ko"].unreachable
    assert could_not_answer(down, "What is collate_fn?") == LABELS["en"].unreachable
    assert "connection refused" not in could_not_answer(down, "What is collate_fn?")
    empty = EmptyQuestion("질문을 입력해 주세요 (the question is empty).")
    assert could_not_answer(empty, "?!") == str(empty)
