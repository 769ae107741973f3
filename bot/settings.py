"""Discord transport settings, read from the environment (prefix SUNBAE_DISCORD_) and `.env`."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class DiscordSettings(BaseSettings):
    """How the Discord bot behaves; the token itself lives in knowledge.settings (DISCORD_TOKEN)."""

    # Empty values count as unset: docker-compose.yml passes `${VAR:-}` for settings left out.
    model_config = SettingsConfigDict(
        env_prefix="SUNBAE_DISCORD_", env_file=".env", env_file_encoding="utf-8", extra="ignore",
        env_ignore_empty=True,
    )

    guild_id: int | None = Field(
        None, description="Server whose slash commands sync instantly; unset = global sync."
    )
    sync_commands: bool = Field(True, description="Sync slash commands with Discord at start.")
    maintainer_role: str | None = Field(
        None, description="Role (name or id) whose members may curate; Manage Server always may."
    )
    qa_channel_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Comma-separated ids of Q&A channels."
    )
    answer_all_in_qa_channels: bool = Field(
        False, description="In Q&A channels, answer every message without a mention."
    )
    cooldown_seconds: float = Field(10.0, description="Seconds a person waits between questions.")
    max_attachment_bytes: int = Field(
        1_000_000, description="Largest note file /ingest accepts, in bytes."
    )
    more_sources: int = Field(10, description="Citations the 'More sources' button shows.")

    @field_validator("qa_channel_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        # `.env` files hold "123, 456" more naturally than a JSON list.
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value
