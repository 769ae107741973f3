"""The per-person question cooldown on discord.py's CooldownMapping: looking never starts it."""

from __future__ import annotations

from bot.utils.checks import QuestionCooldown


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_looking_does_not_start_the_wait() -> None:
    """retry_after only reads; a person who was refused or failed waits for nothing."""
    cooldown = QuestionCooldown(10, Clock())
    assert cooldown.retry_after(1) == 0
    assert cooldown.retry_after(1) == 0


def test_start_holds_that_person_for_the_cooldown() -> None:
    """After start, the same person waits what is left; another person does not."""
    clock = Clock()
    cooldown = QuestionCooldown(10, clock)
    cooldown.start(1)
    clock.now += 4
    assert cooldown.retry_after(1) == 6
    assert cooldown.retry_after(2) == 0
    clock.now += 6.5
    assert cooldown.retry_after(1) == 0


def test_zero_seconds_is_no_cooldown_and_seconds_can_change() -> None:
    """0 turns it off; setting `seconds` later applies from then on."""
    cooldown = QuestionCooldown(0, Clock())
    cooldown.start(1)
    assert cooldown.retry_after(1) == 0
    cooldown.seconds = 30
    cooldown.start(1)
    assert cooldown.retry_after(1) == 30
