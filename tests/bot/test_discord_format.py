"""Discord text rules: length limits, split long text, escaped quotes, no pings."""

from __future__ import annotations

import discord

from bot.utils.messages import (
    DESCRIPTION_LIMIT,
    ELLIPSIS,
    EMBED_TOTAL_LIMIT,
    FENCE,
    cut,
    escape_quote,
    fit_embed,
    group_for_messages,
    no_pings,
    split_text,
)


def test_cut_ends_with_an_ellipsis_within_the_limit() -> None:
    """A cut text is exactly the limit long and ends with "…"."""
    text = cut("가" * 3000, 2000)
    assert len(text) == 2000 and text.endswith(ELLIPSIS)


def test_split_text_keeps_every_piece_within_the_limit() -> None:
    """Pieces never exceed the limit and together hold all the words."""
    text = " ".join(f"word{n}" for n in range(2000))
    pieces = split_text(text, 2000)
    assert all(len(p) <= 2000 for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_split_text_closes_and_reopens_a_cut_code_block() -> None:
    """A code block cut in two is closed on one page and reopened with its language."""
    text = "설명\n```python\n" + "\n".join(f"x{n} = {n}" for n in range(600)) + "\n```\n끝"
    pieces = split_text(text, 2000)
    assert len(pieces) > 1
    assert all(p.count(FENCE) % 2 == 0 for p in pieces)
    assert pieces[1].startswith("```python\n")


def test_no_pings_defuses_everyone_here_users_and_roles() -> None:
    """@everyone, @here, <@id> and <@&id> no longer parse as mentions."""
    text = no_pings("@everyone @here <@123> <@!123> <@&456>")
    for mention in ("@everyone", "@here", "<@123>", "<@!123>", "<@&456>"):
        assert mention not in text


def test_no_pings_keeps_code_and_other_at_signs() -> None:
    """`@torch.no_grad()`, e-mail addresses and mentions inside code come back byte for byte."""
    code = "```python\n@torch.no_grad()\ndef f(): pass  # @everyone\n```"
    text = f"데코레이터 @torch.no_grad() 와 `@here` 그리고 {code} a@b.kr"
    assert no_pings(text) == text
    assert "\u200b" not in no_pings("@torch.no_grad()")


def test_no_pings_defuses_mentions_outside_code_only() -> None:
    """A mention beside a code span is broken; the span and an unclosed backtick are handled."""
    text = no_pings("`x` @everyone ` <@123>")
    assert text.startswith("`x` ")
    assert "@everyone" not in text and "<@123>" not in text
    quoted = escape_quote("`@everyone`")  # escaped backticks are plain text: defused
    assert "@everyone" not in quoted


def test_quote_markdown_is_escaped_once() -> None:
    """A journal's own escapes are not doubled; other Markdown is escaped."""
    assert escape_quote(r"Dataset의 \_\_getitem\_\_") == r"Dataset의 \_\_getitem\_\_"
    assert escape_quote("**굵게** `code`") == r"\*\*굵게\*\* \`code\`"


def test_fit_embed_brings_an_oversized_embed_within_limits() -> None:
    """Too long a description and too many long fields are cut to Discord's limits."""
    embed = discord.Embed(title="t" * 300, description="d" * 5000)
    for n in range(30):
        embed.add_field(name=f"n{n}" * 100, value="v" * 2000)
    fit_embed(embed)
    assert len(embed) <= EMBED_TOTAL_LIMIT and len(embed.description) <= DESCRIPTION_LIMIT
    assert len(embed.fields) <= 25 and all(len(f.value) <= 1024 for f in embed.fields)


def test_embeds_are_grouped_within_the_message_total() -> None:
    """Embeds go out in messages of at most 6000 characters together."""
    embeds = [discord.Embed(description="d" * 3500) for _ in range(4)]
    groups = group_for_messages(embeds)
    assert all(sum(len(e) for e in group) <= EMBED_TOTAL_LIMIT for group in groups)
    assert sum(len(group) for group in groups) == 4


def test_a_very_long_curated_author_still_fits_the_embed() -> None:
    """A 1,000-character display name is cut to Discord's 256 for the author line."""
    from bot.utils.answer_embeds import answer_embeds
    from knowledge.views import Answer

    answer = Answer(question="q", text="답", kind="curated", confidence=1.0, language="ko",
                    curated_author="긴이름\n" * 250)
    embed = answer_embeds(answer)[0]
    assert embed.author.name is not None and len(embed.author.name) <= 256
    assert "\n" not in embed.author.name and len(embed) <= 6000
