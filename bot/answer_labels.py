"""The words around an answer in the question's language and the lines built from them: one
table and one structure for Discord's embeds and Slack's blocks."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from knowledge.errors import StoreUnavailable, SunbaeError
from knowledge.language import question_language
from knowledge.views import Answer

KOREAN = "ko"
ENGLISH = "en"
REASON_KEYS = ("wrong_day", "outdated", "did_not_answer", "other")
# The maintainers' buttons keep the names the maintainers' workflow and cards use.
ANSWER_THIS = "Answer this"
SAVE_CURATED = "Save as curated"


@dataclass(frozen=True)
class AnswerLabels:
    """Every camper-facing line around an answer, in one language."""

    curated_by: str  # {author}
    not_answered: str
    from_journals: str
    nearest_topics: str
    sent_to_maintainers: str
    logged_for_maintainers: str
    open_link: str
    more_sources: str
    no_more_sources: str
    thanks_up: str
    thanks_down: str
    ask_why: str
    reasons: dict[str, str]
    reason_noted: str
    vote_down_first: str
    reason_title: str
    reason_label: str
    reason_placeholder: str
    gone: str
    cooldown: str  # {wait}
    nothing_to_ask: str
    failed: str
    unreachable: str
    dm_refused: str


LABELS: dict[str, AnswerLabels] = {
    KOREAN: AnswerLabels(
        curated_by="✅ 큐레이션된 답변 · 작성: {author}",
        not_answered="🤔 아직 모르겠어요",
        from_journals="📓 기록에서 찾은 답",
        nearest_topics="가까운 주제",
        sent_to_maintainers="메인테이너에게 전달했어요",
        logged_for_maintainers="메인테이너 목록에 기록했어요",
        open_link="원문",
        more_sources="출처 더 보기",
        no_more_sources="더 찾은 기록이 없어요.",
        thanks_up="고마워요!",
        thanks_down="알려줘서 고마워요, 더 나아질게요.",
        ask_why="무엇이 아쉬웠나요? (선택, 한 번 누르기)",
        reasons={"wrong_day": "📅 날짜가 틀림", "outdated": "🕰️ 오래됨",
                 "did_not_answer": "❓ 답이 아님", "other": "✏️ 기타"},
        reason_noted="이유를 남겼어요, 고마워요!",
        vote_down_first="👎 를 먼저 눌러 주세요. 저장된 것은 없어요.",
        reason_title="무엇이 아쉬웠나요?",
        reason_label="이유",
        reason_placeholder="예: 1주차를 인용했는데 답은 2주차에 있어요",
        gone="이 답변의 기록을 찾을 수 없어요.",
        cooldown="⏳ 잠깐만요! {wait}초 뒤에 다시 물어봐 주세요.",
        nothing_to_ask="이 메시지에는 물어볼 내용이 없어요.",
        failed="죄송해요, 답을 만드는 중에 문제가 생겼어요. 잠시 뒤에 다시 물어봐 주세요.",
        unreachable="지금은 기록 데이터베이스에 닿지 않아요. 잠시 후 다시 시도해 주세요.",
        dm_refused="🔒 DM으로는 답하지 않아요. 서버 채널에서 물어봐 주세요.",
    ),
    ENGLISH: AnswerLabels(
        curated_by="✅ Curated answer by {author}",
        not_answered="🤔 Not answered yet",
        from_journals="📓 From the journals",
        nearest_topics="Nearest topics",
        sent_to_maintainers="Sent to the maintainers",
        logged_for_maintainers="Logged for the maintainers",
        open_link="open",
        more_sources="More sources",
        no_more_sources="No other notes match this question.",
        thanks_up="Thanks for the feedback!",
        thanks_down="Thanks for telling us; we'll do better.",
        ask_why="What was wrong? (optional, one tap)",
        reasons={"wrong_day": "📅 Wrong day", "outdated": "🕰️ Outdated",
                 "did_not_answer": "❓ Did not answer", "other": "✏️ Other"},
        reason_noted="Reason noted, thank you.",
        vote_down_first="Vote 👎 first; nothing was saved.",
        reason_title="What was wrong?",
        reason_label="Reason",
        reason_placeholder="e.g. it cites week 1, the answer is in week 2",
        gone="This answer is no longer in the ask log.",
        cooldown="⏳ One question at a time: please ask again in {wait} s.",
        nothing_to_ask="There is nothing to ask in this message.",
        failed="Sorry, something went wrong; please try again in a moment.",
        unreachable="The notes database is unreachable right now; try again shortly.",
        dm_refused="🔒 Sunbae does not answer direct messages here: please ask in your "
                   "server's channel.",
    ),
}


def labels_for(language: str | None) -> AnswerLabels:
    """The labels of a language (`ko` or `en`); Korean, the campers' language, otherwise."""
    return LABELS.get(language or KOREAN, LABELS[KOREAN])


def could_not_answer(error: SunbaeError, question: str) -> str:
    """What the asker hears when the core refused or could not answer: an outage in the
    question's language; any other refusal (an empty question has no language) as worded."""
    if isinstance(error, StoreUnavailable):
        return labels_for(question_language(question)).unreachable
    return str(error)


def kind_line(answer: Answer, clean: Callable[[str], str]) -> str:
    """Which kind of answer this is, and for a curated one, by whom (`clean` makes the
    author's name safe for the transport)."""
    words = labels_for(answer.language)
    if answer.kind == "curated":
        author = answer.curated_author or ("메인테이너" if answer.language == KOREAN
                                           else "a maintainer")
        return words.curated_by.format(author=clean(author))
    if answer.kind == "abstain":
        return words.not_answered
    return words.from_journals


def footer_line(answer: Answer, *, sent_to_maintainers: bool = False) -> str:
    """What happened to an abstention (logged, or sent once a card went out) and the ask id;
    empty when there is neither."""
    words = labels_for(answer.language)
    told = words.sent_to_maintainers if sent_to_maintainers else words.logged_for_maintainers
    footer = [told] if answer.kind == "abstain" else []
    if answer.ask_id is not None:
        footer.append(f"ask #{answer.ask_id}")
    return " · ".join(footer)


def vote_thanks(language: str | None, vote: int, up: int, down: int) -> str:
    """The voter's acknowledgement, with the new counts."""
    words = labels_for(language)
    return f"{words.thanks_up if vote > 0 else words.thanks_down} 👍 {up} · 👎 {down}"


def cooldown_text(language: str | None, seconds: float) -> str:
    """What a person hears when they ask again too soon."""
    return labels_for(language).cooldown.format(wait=max(1, math.ceil(seconds)))


def source_name(source: str) -> str:
    """The file name of a citation's source (a path, or a `discord:<guild>/<name>` or
    `slack:<team>/<name>` key)."""
    if source.startswith(("slack:", "discord:")):
        source = source.split("/", 1)[-1]
    return PurePosixPath(source).name
