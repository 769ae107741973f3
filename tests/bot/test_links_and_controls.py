"""Links and control characters from notes and questions: never a masked link in an answer or
quote, a front-matter URL only as the plain web address, no terminal escapes printed."""

from __future__ import annotations

import io

from bot.cli.formatting import render_answer, terminal_text
from bot.utils.answer_embeds import answer_embeds, citation_field
from bot.utils.messages import escape_quote
from knowledge.notes.parsing.front_matter import split_front_matter
from knowledge.text.cleaning import strip_controls, unmask_links, web_url
from knowledge.views import Answer, Citation

LINE = "[공식 문서](https://evil.example/docs) 를 보고 [슬라이드](https://evil.example/s) 도 봤다"
ESCAPES = "\x1b]8;;https://evil.example\x07클릭\x1b]8;;\x07 \x1b[2J\x9b31m질문\u202e"


def _citation(quote: str = LINE, url: str | None = None) -> Citation:
    return Citation(source="week2.md", label="Week 2 · Day 8 (11/15)", day="Day 8", week=2,
                    date="11/15", quote=quote, section_id=1, url=url)


def _answer(text: str = LINE, url: str | None = None) -> Answer:
    return Answer(question="q", text=text, kind="passage", confidence=0.9, language="ko",
                  citations=[_citation(url=url)])


def test_every_masked_link_of_a_line_is_written_out() -> None:
    """Both links of the line become their text and their visible address."""
    plain = unmask_links(LINE)
    assert "](" not in plain
    assert "공식 문서 <https://evil.example/docs>" in plain
    assert "슬라이드 <https://evil.example/s>" in plain


def test_links_to_anything_but_the_web_keep_only_their_text() -> None:
    """`javascript:` and anchors are not addresses to show; odd syntax is broken, not kept."""
    assert unmask_links("[눌러](javascript:alert(1))") == "[눌러]\u200b(javascript:alert(1))"
    assert unmask_links("[위로](#top) ![그림](https://x.example/a.png)") == (
        "위로 그림 <https://x.example/a.png>"
    )
    assert "](" not in unmask_links('[a](https://x.example \'title\')')


def test_quote_escaping_covers_the_second_link_of_a_line() -> None:
    """A quote from a note carries no masked link at all, whatever its position."""
    quoted = escape_quote(LINE)
    assert "](" not in quoted
    assert quoted.count("<https://evil.example/") == 2


def test_answer_embeds_carry_no_masked_link() -> None:
    """Neither the answer text nor a citation field renders a masked link."""
    embed = answer_embeds(_answer(url="https://notes.example/week2"))[0]
    texts = [embed.description or ""] + [field.value or "" for field in embed.fields]
    assert all("](" not in text for text in texts)
    assert "<https://notes.example/week2>" in texts[-1]


def test_a_front_matter_url_is_shown_only_as_a_plain_web_address() -> None:
    """`javascript:` is dropped at parsing; an http(s) URL is shown as itself."""
    meta, _ = split_front_matter("---\nurl: javascript:alert(1)\n---\n본문")
    assert meta.url is None
    meta, _ = split_front_matter("---\nurl: https://notes.example/w2\n---\n본문")
    assert meta.url == "https://notes.example/w2"
    assert web_url("https://a.example/x y") is None
    _, value = citation_field(_citation(url="javascript:alert(1)"))
    assert "javascript" not in value


def test_control_characters_are_stripped() -> None:
    """Escape sequences, C1 controls and bidi overrides go; words and line breaks stay."""
    cleaned = strip_controls(ESCAPES)
    assert "\x1b" not in cleaned and "\x9b" not in cleaned and "\u202e" not in cleaned
    assert "클릭" in cleaned and "질문" in cleaned
    assert strip_controls("a\nb\tc", keep_newlines=False) == "a b c"


def test_the_terminal_never_gets_raw_escapes_from_an_answer() -> None:
    """A note's text, quote and label reach the terminal without control characters."""
    text = render_answer(_answer(text=ESCAPES + "\n" + LINE))
    assert "\x1b" not in text and "\x9b" not in text
    assert "](" not in text
    assert "\x1b" not in terminal_text(ESCAPES, one_line=True)


def test_chat_unanswered_prints_no_raw_escapes() -> None:
    """`/unanswered` in the chat prints a stored question without its escapes."""
    from bot.chat import handle_line

    class Group:
        count = 1
        question = ESCAPES

    class Core:
        def unanswered(self) -> list[Group]:
            return [Group()]

    out = io.StringIO()
    handle_line(Core(), "/unanswered", out)  # type: ignore[arg-type]
    assert "질문" in out.getvalue() and "\x1b" not in out.getvalue()


def test_curate_show_prints_no_raw_escapes() -> None:
    """A promoted question (a camper's words) is shown without its escape sequences."""
    from argparse import Namespace
    from types import SimpleNamespace

    from bot.cli.curate import run_curate

    view = SimpleNamespace(slug="q", version=1, author="mentor", active=True, question=ESCAPES,
                           paraphrases=(ESCAPES,), answer="답 " + ESCAPES, cites=())

    class Core:
        def get_curated(self, slug: str) -> SimpleNamespace:
            return view

        def curated_history(self, slug: str) -> list[object]:
            return []

    out = io.StringIO()
    assert run_curate(Core(), Namespace(action="show", id="q"), out) == 0  # type: ignore[arg-type]
    assert "질문" in out.getvalue() and "\x1b" not in out.getvalue()
