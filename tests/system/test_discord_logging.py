"""The Discord token never reaches a log line, an argument or a traceback."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import discord
import pytest

from bot import discord_app
from bot.utils.log_redaction import SecretRedactingFilter, install_token_redaction
from knowledge.core import Sunbae
from knowledge.settings import Settings

pytest_plugins = ["tests.discord_fixtures"]

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.fake-token-for-tests_0123456789"


@pytest.fixture
def log_text() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A private logger writing to a string, with the redaction installed."""
    logger = logging.getLogger("sunbae.test.redaction")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
    install_token_redaction(TOKEN, logger)
    yield logger, stream
    logger.removeHandler(handler)


@pytest.fixture
def clean_root_handlers() -> Iterator[None]:
    """Take the redaction filters off the root handlers after a test that installs them."""
    yield
    for handler in logging.getLogger().handlers:
        for found in [f for f in handler.filters if isinstance(f, SecretRedactingFilter)]:
            handler.removeFilter(found)


def test_token_in_a_log_argument_is_redacted(log_text) -> None:  # type: ignore[no-untyped-def]
    """A token passed as a %s argument is replaced."""
    logger, stream = log_text
    logger.warning("connecting with %s", TOKEN)
    assert TOKEN not in stream.getvalue() and "[redacted token]" in stream.getvalue()


def test_token_in_a_traceback_is_redacted(log_text) -> None:  # type: ignore[no-untyped-def]
    """A token inside an exception's message is replaced in the logged traceback."""
    logger, stream = log_text
    try:
        raise RuntimeError(f"bad header Authorization: Bot {TOKEN}")
    except RuntimeError:
        logger.exception("request failed")
    assert "RuntimeError" in stream.getvalue() and TOKEN not in stream.getvalue()


def test_refused_login_logs_no_token(discord_core: Sunbae, caplog: pytest.LogCaptureFixture,
                                     monkeypatch: pytest.MonkeyPatch,
                                     clean_root_handlers: None) -> None:
    """run_bot with a refused token exits 1, and nothing discord.py logged shows the token."""
    def refused_run(self: discord_app.SunbaeBot, token: str, **_: object) -> None:
        logging.getLogger("discord.http").error("login with token %s failed", token)
        raise discord.LoginFailure("Improper token has been passed.")

    monkeypatch.setattr(discord_app.SunbaeBot, "run", refused_run)
    settings = Settings(_env_file=None, DISCORD_TOKEN=TOKEN)
    with caplog.at_level(logging.INFO):
        assert discord_app.run_bot(discord_core, settings) == 1
    assert "[redacted token]" in caplog.text and TOKEN not in caplog.text
