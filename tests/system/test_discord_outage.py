"""/ask while PostgreSQL is down: "try again shortly" in the question's language, then answers
again."""

from __future__ import annotations

from pathlib import Path

from bot.answer_labels import LABELS
from bot.discord_app import SunbaeBot
from bot.settings import DiscordSettings
from index.embedder import Embedder
from knowledge.core import Sunbae
from knowledge.settings import Settings
from tests.conftest import PgServer, model_cache
from tests.discord_fakes import camper, fake_interaction, sent_embeds, sent_texts

pytest_plugins = ["tests.discord_fixtures"]

ANSWERED = "두런두런 행사에서 마스터님이 무슨 얘기 해주셨어?"
ENGLISH = "What does collate_fn do in a DataLoader?"


async def test_ask_replies_try_again_during_an_outage_and_answers_after(
    own_pg_cluster: PgServer, embedder: Embedder, discord_settings: DiscordSettings,
    tmp_path: Path,
) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", model_cache=model_cache(),
                        database_url=own_pg_cluster.new_database())
    core = Sunbae.open(settings, embedder=embedder)
    try:
        core.load_shipped_sample()  # in the shared space the server sees
        bot = SunbaeBot(core, discord_settings)
        await bot.load_extensions()
        cog = bot.get_cog("AskCog")

        own_pg_cluster.cluster.stop()
        down = fake_interaction(bot, camper(1001))
        await cog.ask.callback(cog, down, question=ANSWERED)
        assert sent_texts(down.followup.send) == [LABELS["ko"].unreachable]
        english = fake_interaction(bot, camper(1002))
        await cog.ask.callback(cog, english, question=ENGLISH)
        assert sent_texts(english.followup.send) == [LABELS["en"].unreachable]

        own_pg_cluster.cluster.start()
        up = fake_interaction(bot, camper(1001))
        await cog.ask.callback(cog, up, question=ANSWERED)
        fields = sent_embeds(up.followup.send)[-1].fields
        assert any(f.name == "Week 2 · Day 8 (11/15)" for f in fields)
    finally:
        core.close()
