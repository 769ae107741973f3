"""Korean names and descriptions of the slash commands, given to Discord by one Translator.

The commands are defined in English (their descriptions often bilingual); discord.py turns every
name and description into a `locale_str` of that English text, and `KoreanTranslator` looks it
up here by where it sits (a name or a description), so no command definition repeats it.
Korean names follow Discord's rule: lowercase, no spaces, at most 32 characters.
"""

from __future__ import annotations

from discord import Locale, app_commands
from discord.app_commands import TranslationContextLocation as Where

# Command, group and option names, by their English name.
NAMES: dict[str, str] = {
    "ask": "질문",
    "question": "질문",
    "ingest": "노트추가",
    "file": "파일",
    "file2": "파일2",
    "file3": "파일3",
    "title": "제목",
    "text": "내용",
    "forget": "노트삭제",
    "name": "이름",
    "source": "출처",
    "day": "날짜",
    "unanswered": "못한질문",
    "curate": "큐레이션",
    "add": "추가",
    "edit": "수정",
    "retire": "보관",
    "list": "목록",
    "show": "보기",
    "slug": "슬러그",
    "include_retired": "보관된것도",
    "maintainers-channel": "메인테이너채널",
    "channel": "채널",
    "stats": "통계",
    "days": "기간",
    "sunbae": "선배",
    "mode": "모드",
    "shared": "공유답변",
    "choice": "선택",
    # Context-menu commands (their names may hold spaces and capitals).
    "Ask Sunbae": "선배에게 묻기",
    "Save as curated answer": "큐레이션 답변으로 저장",
}

# Command, group and option descriptions, by their English text.
DESCRIPTIONS: dict[str, str] = {
    "Ask about the study journals · 선배에게 질문": "학습 일지에 대해 선배에게 질문해요",
    "What do you want to know? · 궁금한 것": "궁금한 것",
    "Add or update notes · 노트 추가/갱신": "노트를 추가하거나 갱신해요",
    "A .md or .txt note in UTF-8": "UTF-8로 된 .md 또는 .txt 노트",
    "Another note": "다른 노트",
    "Title of pasted text": "붙여넣은 글의 제목 (파일 하나면 그 노트의 이름)",
    "Pasted note text (leave empty for a form)": "붙여넣을 노트 내용 (비우면 입력 창이 열려요)",
    "Remove a note you added · 노트 삭제": "내가 올린 노트를 지워요",
    "The note's file name or title, as it was added": "올린 때의 노트 파일 이름이나 제목",
    "Show a day of the journals · 그날의 기록": "일지의 그날 기록을 보여줘요",
    "A day number or label, e.g. 8 or Day 8": "날짜 번호나 이름 (예: 8, Day 8)",
    "Questions Sunbae could not answer (maintainers)": "선배가 답하지 못한 질문 (메인테이너)",
    "Curated answers (maintainers) · 큐레이션 답변": "큐레이션 답변 (메인테이너)",
    "Add a curated answer (opens a form)": "큐레이션 답변을 추가해요 (입력 창)",
    "Edit a curated answer (opens a form)": "큐레이션 답변을 수정해요 (입력 창)",
    "Stop using a curated answer": "큐레이션 답변을 더 쓰지 않아요 (보관)",
    "List the curated answers": "큐레이션 답변 목록",
    "Show one curated answer in full": "큐레이션 답변 하나를 전부 보여줘요",
    "Which curated answer": "어느 큐레이션 답변",
    "Also list retired answers": "보관된 답변도 보여줘요",
    "Where abstentions and 👎 are posted (empty: nowhere)":
        "답하지 못한 질문과 👎를 올릴 채널 (비우면 올리지 않아요)",
    "The maintainers' channel; leave out to stop posting": "메인테이너 채널 (비우면 올리지 않아요)",
    "How questions went lately (maintainers)": "최근 질문과 답변 통계 (메인테이너)",
    "How many days back (default 7)": "며칠 전까지 (기본 7일)",
    "Sunbae settings · 선배 설정": "선배 설정",
    "How Sunbae answers in a channel · 채널 모드": "채널에서 선배가 답하는 방식",
    "The channel or forum · 채널": "채널이나 포럼",
    "auto | mention | off": "auto(모두 답함) | mention(멘션만) | off(끔)",
    "Whether this server sees the shipped curated answers":
        "선배와 함께 온 큐레이션 답변을 이 서버에서 볼지",
    "on | off | default (the bot's setting); empty: say which":
        "on(봄) | off(안 봄) | default(봇 설정) · 비우면 지금 상태를 알려줘요",
}

_NAME_PLACES = frozenset({Where.command_name, Where.group_name, Where.parameter_name,
                          Where.choice_name})
_DESCRIPTION_PLACES = frozenset({Where.command_description, Where.group_description,
                                 Where.parameter_description})


class KoreanTranslator(app_commands.Translator):
    """Korean for Discord clients set to Korean; every other locale sees the English."""

    async def translate(self, string: app_commands.locale_str, locale: Locale,
                        context: app_commands.TranslationContextTypes) -> str | None:
        """The Korean of a command's name or description, or None (Discord shows the
        default)."""
        if locale is not Locale.korean:
            return None
        if context.location in _NAME_PLACES:
            return NAMES.get(string.message)
        if context.location in _DESCRIPTION_PLACES:
            return DESCRIPTIONS.get(string.message)
        return None
