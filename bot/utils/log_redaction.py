"""Secrets (the Discord token, database passwords) kept out of every log line and traceback.

Two layers: a record factory redacts each record as it is made, whichever logger, handler or
formatter sees it later (a `basicConfig(force=True)` that replaces the handlers, a logger that
does not propagate, discord.py's colour formatter that re-renders tracebacks); and a filter on
the handlers present at install time, for records made before. Warnings are routed through
logging so `warnings.warn(token)` is redacted too.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote

REDACTED = "[redacted token]"
REDACTED_PASSWORD = "[redacted]"
# `scheme://user:password@host`: the password runs to the last `@` before a space or quote,
# so one holding `@` is hidden whole (over-redacting a host beats leaking half a password).
_URL_PASSWORD = re.compile(r"(\b[a-zA-Z][\w+.-]*://[^\s:/@'\"]*:)([^\s'\"]*)@")


class Redactor:
    """The secrets to hide, and how text is redacted."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, secrets: Iterable[str | None]) -> None:
        """Hide these too (empty ones and very short ones, which would shred text, skipped)."""
        with self._lock:
            self._secrets |= {s for s in secrets if s and len(s) >= 4}

    def redact(self, text: str) -> str:
        """`text` without any password written in a URL nor any known secret."""
        if "://" in text:
            text = _URL_PASSWORD.sub(_hide_password, text)
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text


def _hide_password(match: re.Match[str]) -> str:
    # The whole run up to the last `@` of the word: a password may itself hold `@`.
    return f"{match.group(1)}{REDACTED_PASSWORD}@"


REDACTOR = Redactor()


def redact_record(record: logging.LogRecord, redact: Callable[[str], str]) -> None:
    """Rewrite the record in place: message, traceback and stack, where a secret shows."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed record is the handler's problem, not ours
        return
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        cleaned = redact(record.exc_text)
        if cleaned != record.exc_text:
            # Formatters reuse exc_text; with exc_info gone, none can render it afresh.
            record.exc_text, record.exc_info = cleaned, None
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


class SecretRedactingFilter(logging.Filter):
    """Replaces a secret (and URL passwords) in a record's message, arguments and traceback."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def redact(self, text: str) -> str:
        """The text with every occurrence of the secret replaced."""
        if self.secret:
            text = text.replace(self.secret, REDACTED)
        return REDACTOR.redact(text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        redact_record(record, self.redact)
        return True


_factory_lock = threading.Lock()
_installed_factory: Callable[..., logging.LogRecord] | None = None


def _install_record_factory() -> None:
    """Wrap the current record factory once; every record is redacted as it is made."""
    global _installed_factory
    with _factory_lock:
        current = logging.getLogRecordFactory()
        if current is _installed_factory:
            return

        def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = current(*args, **kwargs)
            redact_record(record, REDACTOR.redact)
            return record

        logging.setLogRecordFactory(redacting_factory)
        _installed_factory = redacting_factory


def install_redaction(secrets: Iterable[str | None] = ()) -> None:
    """Redact these secrets and URL passwords from every log record and warning from now on."""
    REDACTOR.add(secrets)
    _install_record_factory()
    logging.captureWarnings(True)  # warnings.warn(...) becomes a record of `py.warnings`
    loggers = [logging.getLogger()] + [
        logger for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, SecretRedactingFilter) for f in handler.filters):
                handler.addFilter(SecretRedactingFilter(""))


def install_token_redaction(secret: str, logger: logging.Logger | None = None) -> None:
    """Put the filter on every handler of `logger` (root by default), adding one if none exist,
    and redact the secret from every record made from now on (see `install_redaction`).

    Filters on handlers see records propagated from every child logger (discord.*, sunbae.*),
    which a filter on a logger would not.
    """
    target = logger or logging.getLogger()
    if not target.handlers:
        console = logging.StreamHandler()
        console.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        target.addHandler(console)
        if target.level == logging.NOTSET or target.level > logging.INFO:
            target.setLevel(logging.INFO)
    for handler in target.handlers:
        if not any(isinstance(f, SecretRedactingFilter) and f.secret == secret
                   for f in handler.filters):
            handler.addFilter(SecretRedactingFilter(secret))
    install_redaction([secret])


def database_secrets(url: str | None) -> list[str]:
    """The password written in a database URL, as written and percent-decoded ([] if none).

    Read by hand: a password holding a raw `@` runs to the last `@` before the host, where
    URL parsers stop at the first one and would hide only part of it.
    """
    if not url or "://" not in url:
        return []
    authority = url.split("://", 1)[1].split("/", 1)[0]
    credentials, at, _host = authority.rpartition("@")
    _user, colon, password = credentials.partition(":")
    if not (at and colon and password):
        return []
    return list(dict.fromkeys([password, unquote(password)]))
