"""Redaction catches every record: after `basicConfig(force=True)`, on loggers that do not
propagate, in warnings, in tracebacks (discord.py's colour formatter too), and database URL
passwords holding `@`."""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator

import discord.utils
import pytest

import bot.utils.log_redaction as redaction
from bot.utils.log_redaction import database_secrets, install_redaction

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.fake-token-for-tests_0123456789"
PASSWORD = "s3cr@t-p@ss"
DB_URL = f"postgresql+psycopg://sunbae:{PASSWORD}@db.example:5432/sunbae"


@pytest.fixture
def redacting() -> Iterator[None]:
    """Redaction installed for the test; the process's logging set-up restored after."""
    factory = logging.getLogRecordFactory()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    logging.captureWarnings(False)
    install_redaction([TOKEN, *database_secrets(DB_URL)])
    yield
    logging.setLogRecordFactory(factory)
    redaction._installed_factory = None
    redaction.REDACTOR._secrets.clear()
    logging.captureWarnings(False)
    root.handlers[:] = handlers
    root.setLevel(level)


def _stream_logger(name: str) -> tuple[logging.Logger, io.StringIO]:
    logger = logging.getLogger(name)
    stream = io.StringIO()
    logger.addHandler(logging.StreamHandler(stream))
    logger.propagate = False
    return logger, stream


def test_a_later_basic_config_force_still_redacts(redacting: None) -> None:
    """Handlers made by `basicConfig(force=True)` after the install never see the token."""
    stream = io.StringIO()
    logging.basicConfig(force=True, stream=stream, level=logging.INFO)
    logging.getLogger("sunbae.test").warning("token %s", TOKEN)
    assert "[redacted token]" in stream.getvalue() and TOKEN not in stream.getvalue()


def test_a_non_propagating_logger_with_its_own_handler_redacts(redacting: None) -> None:
    """A logger made later, with its own handler and propagate off, is covered too."""
    logger, stream = _stream_logger("sunbae.test.isolated")
    logger.error("login with %s", TOKEN)
    assert TOKEN not in stream.getvalue()


def test_a_warning_carrying_the_token_is_redacted(redacting: None) -> None:
    """`warnings.warn` goes through logging, and so through the redaction."""
    _, stream = _stream_logger("py.warnings")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        logging.captureWarnings(True)
        warnings.warn(f"deprecated call with {TOKEN}", UserWarning, stacklevel=1)
    assert "deprecated call" in stream.getvalue() and TOKEN not in stream.getvalue()


def test_a_database_secrets_with_at_signs_is_redacted_whole(redacting: None) -> None:
    """No part of a password holding `@` reaches the line, in messages and tracebacks."""
    logger, stream = _stream_logger("sunbae.test.database")
    logger.warning("connecting to %s", DB_URL)
    try:
        raise ConnectionError(f"could not connect to {DB_URL}")
    except ConnectionError:
        logger.exception("database unreachable")
    text = stream.getvalue()
    assert "db.example" in text and "ConnectionError" in text
    assert "s3cr" not in text and "p@ss" not in text


def test_a_url_password_is_redacted_even_when_not_configured(redacting: None) -> None:
    """Any `scheme://user:password@host` loses its password, configured or not."""
    logger, stream = _stream_logger("sunbae.test.other-url")
    logger.warning("mirror at https://bob:hunter2@mirror.example/x")
    assert "hunter2" not in stream.getvalue() and "mirror.example" in stream.getvalue()


def test_discords_colour_formatter_cannot_re_render_the_traceback(redacting: None) -> None:
    """discord.py's formatter renders exc_info itself; the token is gone from it as well."""
    logger, stream = _stream_logger("discord.test")
    logger.handlers[0].setFormatter(discord.utils._ColourFormatter())
    try:
        raise RuntimeError(f"Authorization: Bot {TOKEN}")
    except RuntimeError:
        logger.exception("request failed")
    assert "RuntimeError" in stream.getvalue() and TOKEN not in stream.getvalue()


def test_the_configured_password_is_read_to_the_last_at_sign() -> None:
    """`user:p@ss@host` gives the password `p@ss`, and its percent-decoded form."""
    assert database_secrets(DB_URL) == [PASSWORD]
    assert database_secrets("postgresql://u:a%40b@h/db") == ["a%40b", "a@b"]
    assert database_secrets("sqlite:////data/sunbae.db") == []
