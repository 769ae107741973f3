"""The language of a reply that has no question at hand: the clicker's Discord locale."""

from __future__ import annotations

from typing import Any

import discord

from knowledge.language import locale_language


def interaction_language(interaction: discord.Interaction[Any]) -> str:
    """'ko' for a Korean Discord client (`Locale.korean`), else 'en'."""
    return locale_language(str(interaction.locale.value if interaction.locale else ""))
