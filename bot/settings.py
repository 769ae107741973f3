"""Transport settings (Discord: prefix SUNBAE_DISCORD_; Slack: SUNBAE_SLACK_), from the
environment and `.env`."""

from __future__ import annotations

from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from knowledge.spaces import check_space


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
    maintainer_role_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Comma-separated role ids whose members may curate "
        "in their server (never a role name); Manage Server always may."
    )
    maintainer_role: str | None = Field(
        None, description="The older one-role setting: a role id only (a name is refused)."
    )
    allowed_guild_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Comma-separated servers the bot serves; any other "
        "server is ignored. Empty: every server it is in."
    )
    dm_space: str | None = Field(
        None, description="The space direct messages are answered from (e.g. discord:<guild "
        "id>); unset: DMs are refused."
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

    @field_validator("maintainer_role")
    @classmethod
    def _role_id_only(cls, value: str | None) -> str | None:
        # Anyone may name a role anything: a name would let a self-made role curate.
        if value is not None and value.strip() and not value.strip().isdigit():
            raise ValueError("SUNBAE_DISCORD_MAINTAINER_ROLE takes a role id (digits), not a "
                             "name: copy the id with Developer Mode on (right-click the role)")
        return value.strip() if value and value.strip() else None

    @field_validator("dm_space")
    @classmethod
    def _valid_space(cls, value: str | None) -> str | None:
        return check_space(value) if value else None

    @property
    def maintainer_roles(self) -> frozenset[int]:
        """Every configured maintainer role id."""
        extra = {int(self.maintainer_role)} if self.maintainer_role else set()
        return frozenset(self.maintainer_role_ids) | extra

    @field_validator("qa_channel_ids", "maintainer_role_ids", "allowed_guild_ids",
                     mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        # `.env` files hold "123, 456" more naturally than a JSON list.
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value


class SlackSettings(BaseSettings):
    """How the Slack app behaves, and its two tokens (SLACK_BOT_TOKEN, SLACK_APP_TOKEN)."""

    model_config = SettingsConfigDict(
        env_prefix="SUNBAE_SLACK_", env_file=".env", env_file_encoding="utf-8", extra="ignore",
        env_ignore_empty=True, populate_by_name=True,
    )

    # SecretStr: shown as '**********' in reprs and errors, so a settings dump never leaks them.
    bot_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "bot_token"),
        description="Bot token (xoxb-…), from OAuth & Permissions.",
    )
    app_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "app_token"),
        description="App-level token (xapp-…) with connections:write, for Socket Mode.",
    )
    maintainer_ids: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated user ids (U…) who may curate."
    )
    maintainer_group: str | None = Field(
        None, description="User group id (S…) whose members may curate."
    )
    qa_channel_ids: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated ids (C…) of Q&A channels."
    )
    answer_all_in_qa_channels: bool = Field(
        False, description="In Q&A channels, answer every message without a mention."
    )
    maintainer_channel_id: str | None = Field(
        None, description="Default channel (C…) for abstention and 👎 cards, for a workspace "
        "with no channel set by /curate maintainers-channel."
    )
    max_file_bytes: int = Field(1_000_000, description="Largest note file /ingest accepts.")
    more_sources: int = Field(10, description="Citations the 'More sources' button shows.")
    rate_limit_retries: int = Field(3, description="Retries of a call Slack answered with 429.")

    @property
    def configured(self) -> bool:
        """Whether both tokens are set (the Slack app can start)."""
        return self.bot_token is not None and self.app_token is not None

    @field_validator("maintainer_ids", "qa_channel_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value
