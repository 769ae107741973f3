"""/ask: deferred at once, answered in an embed that cites the day, never pinging anyone."""

from __future__ import annotations

from bot.discord_app import SunbaeBot
from bot.utils.messages import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_VALUE_LIMIT,
)
from tests.discord_fakes import camper, fake_interaction, sent_embeds, sent_texts

pytest_plugins = ["tests.discord_fixtures"]

ANSWERED = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"
UNANSWERABLE = "쿠버네티스 파드 오토스케일링은 어떻게 설정해?"


async def ask(bot: SunbaeBot, question: str, user_id: int = 1001):  # type: ignore[no-untyped-def]
    """Run /ask as a camper; returns the fake interaction."""
    interaction = fake_interaction(bot, camper(user_id))
    cog = bot.get_cog("AskCog")
    await cog.ask.callback(cog, interaction, question=question)
    return interaction


async def test_ask_defers_before_answering(sunbae_bot: SunbaeBot) -> None:
    """The first response is a deferral, so a slow question never misses Discord's 3 seconds."""
    interaction = await ask(sunbae_bot, ANSWERED)
    interaction.response.defer.assert_awaited_once_with(thinking=True)
    interaction.response.send_message.assert_not_awaited()


async def test_answer_embed_cites_the_day_with_a_quote(sunbae_bot: SunbaeBot) -> None:
    """The embed's citations read `Week 2 · Day 8 (11/15)` with a quote under each."""
    interaction = await ask(sunbae_bot, ANSWERED)
    fields = sent_embeds(interaction.followup.send)[-1].fields
    day8 = [f for f in fields if f.name == "Week 2 · Day 8 (11/15)"]
    assert day8
    assert day8[0].value.startswith("> ")


async def test_curated_answer_says_it_is_curated_and_by_whom(sunbae_bot: SunbaeBot) -> None:
    """A curated answer's embed names the curator."""
    interaction = await ask(sunbae_bot, "DataLoader에서 collate_fn은 무슨 역할을 해?")
    author_line = sent_embeds(interaction.followup.send)[0].author.name
    assert "큐레이션된 답변 · 작성: sunbae-maintainers" in author_line  # a Korean question
    assert "Curated answer" not in author_line


async def test_abstention_says_so_and_that_maintainers_were_told(sunbae_bot: SunbaeBot) -> None:
    """An unanswerable question gets 'not yet' and a note that the maintainers can find it: with
    no maintainers' channel set, the footer says it was logged (never that it was sent)."""
    # The core's calibration moves; an unreachable threshold makes this abstention certain.
    sunbae_bot.core.settings.answer_threshold = 1.01
    interaction = await ask(sunbae_bot, UNANSWERABLE)
    embed = sent_embeds(interaction.followup.send)[0]
    assert embed.description.startswith("아직 모르겠어요")
    # A Korean question: Korean labels only.
    assert "아직 모르겠어요" in embed.author.name and "Not answered" not in embed.author.name
    assert "메인테이너 목록에 기록했어요" in embed.footer.text
    assert "전달했어요" not in embed.footer.text and "maintainers" not in embed.footer.text


async def test_everyone_and_role_mentions_in_an_answer_never_ping(sunbae_bot: SunbaeBot) -> None:
    """An answer holding @everyone and <@&123> goes out with no mentions allowed, defused."""
    sunbae_bot.core.add_curated(question="공지 채널은 어디에 있어?", author="tester",
                                answer="@everyone 공지는 <@&123456789012345678> 와 <@&123> 확인!")
    interaction = await ask(sunbae_bot, "공지 채널은 어디에 있어?")
    call = interaction.followup.send.await_args
    assert call.kwargs["allowed_mentions"].to_dict() == {"parse": []}
    text = " ".join(sent_texts(interaction.followup.send))
    assert "@everyone" not in text and "<@&" not in text


async def test_five_thousand_character_answer_fits_discord_limits(sunbae_bot: SunbaeBot) -> None:
    """A 5,000-character answer is split over embeds that each respect Discord's limits."""
    long_answer = " ".join(f"문장 {n}번은 길게 이어지는 설명입니다." for n in range(300))[:5000]
    sunbae_bot.core.add_curated(question="아주 긴 답변 테스트 질문", answer=long_answer,
                                author="tester")
    interaction = await ask(sunbae_bot, "아주 긴 답변 테스트 질문")
    for call in interaction.followup.send.await_args_list:
        embeds = call.kwargs["embeds"]
        assert len(embeds) <= EMBEDS_PER_MESSAGE
        assert sum(len(e) for e in embeds) <= EMBED_TOTAL_LIMIT
        for embed in embeds:
            assert len(embed.description) <= DESCRIPTION_LIMIT
            assert all(len(f.value) <= FIELD_VALUE_LIMIT for f in embed.fields)
    shown = "".join(e.description for e in sent_embeds(interaction.followup.send))
    assert shown.replace(" ", "") == long_answer.replace(" ", "")


async def test_cooldown_refuses_a_quick_second_question(sunbae_bot: SunbaeBot) -> None:
    """Asking again within the cooldown gets a clear ephemeral wait message and no answer."""
    sunbae_bot.cooldown.seconds = 60
    await ask(sunbae_bot, ANSWERED)
    second = await ask(sunbae_bot, ANSWERED)
    second.response.defer.assert_not_awaited()
    message = second.response.send_message.await_args
    assert "초 뒤에 다시 물어봐" in message.args[0] and message.kwargs["ephemeral"] is True


async def test_emoji_only_question_is_refused_politely(sunbae_bot: SunbaeBot) -> None:
    """A question with nothing to search for gets the core's 'please type a question'."""
    interaction = await ask(sunbae_bot, "🙂🙂")
    assert "질문을 입력해 주세요" in interaction.followup.send.await_args.args[0]


async def test_a_refused_question_does_not_start_the_cooldown(sunbae_bot: SunbaeBot) -> None:
    """An emoji-only question is refused without costing the wait: the next one is answered."""
    sunbae_bot.cooldown.seconds = 60
    await ask(sunbae_bot, "🙂🙂")
    second = await ask(sunbae_bot, ANSWERED)
    second.response.defer.assert_awaited()
    assert sent_embeds(second.followup.send)


async def test_more_sources_respects_and_starts_the_cooldown(sunbae_bot: SunbaeBot) -> None:
    """"More sources" right after a question waits; a first click starts the wait for /ask."""
    from bot.exts.ask._buttons import MoreSourcesButton

    sunbae_bot.cooldown.seconds = 60
    asked = await ask(sunbae_bot, ANSWERED, user_id=1001)
    ask_id = sent_embeds(asked.followup.send)[-1].footer.text.rsplit("#", 1)[-1]
    view = asked.followup.send.await_args.kwargs["view"]
    [sources] = [item for item in view.children if isinstance(item, MoreSourcesButton)]
    assert sources.ask_id == int(ask_id) and sources.language == "ko"
    held = fake_interaction(sunbae_bot, camper(1001))
    await sources.callback(held)
    assert "초 뒤에 다시 물어봐" in held.response.send_message.await_args.args[0]
    held.followup.send.assert_not_awaited()

    other = fake_interaction(sunbae_bot, camper(1002))
    await MoreSourcesButton(int(ask_id)).callback(other)
    assert sent_embeds(other.followup.send)
    after = await ask(sunbae_bot, ANSWERED, user_id=1002)
    assert "초 뒤에 다시 물어봐" in after.response.send_message.await_args.args[0]
