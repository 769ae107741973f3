"""A logging filter that keeps the Discord token out of every log line and traceback."""

from __future__ import annotations

import logging

REDACTED = "[redacted token]"


class SecretRedactingFilter(logging.Filter):
    """Replaces a secret in a record's message, arguments and traceback text."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def redact(self, text: str) -> str:
        """The text with every occurrence of the secret replaced."""
        return text.replace(self.secret, REDACTED) if self.secret else text

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        if not self.secret:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the handler's problem, not ours
            return True
        if self.secret in message:
            record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when set, so the redacted text is what gets written.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install_token_redaction(secret: str, logger: logging.Logger | None = None) -> None:
    """Put the filter on every handler of `logger` (root by default), adding one if none exist.

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
