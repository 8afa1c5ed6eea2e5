"""Configuration of the ingest side, read once from the environment (``NEWSDESK_`` prefix) or ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

EmbedBackend = Literal["torch", "onnx", "onnx-int8"]


class IngestSettings(BaseSettings):
    """Everything the ingest pipeline, the store and the embedder need to know.

    Build it once at the edge of the program (CLI, server, test) and pass it in;
    nothing below reads the environment itself.
    """

    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Embedded Chroma store and local state.")
    chroma_url: str | None = Field(default=None, description="Use this Chroma server instead of the embedded store.")
    collection_prefix: str = Field(default="newsdesk", description="Prefix of the Chroma collection names.")

    change_retention_days: float = Field(
        default=7.0,
        gt=0,
        description="How long the store's change feed keeps a write; a server further behind repairs its index.",
    )

    embed_model: str | None = Field(
        default=None, description="Local path or model id; default: the bundled all-MiniLM-L6-v2."
    )
    embed_backend: EmbedBackend = Field(
        default="onnx-int8",
        description="torch (full precision), onnx, or onnx-int8 (dynamic int8 quantisation, the fastest on CPU).",
    )
    model_cache: Path | None = Field(
        default=None, description="Where derived model files (ONNX export) are cached; default: DATA_DIR/models."
    )
    embed_batch_size: int = Field(default=32, ge=1, le=1024)
    embed_max_tokens: int = Field(default=256, ge=32, le=512, description="The model's window in word pieces.")

    ingest_batch_articles: int = Field(default=16, ge=1, le=1024, description="Articles embedded and written together.")
    chunk_overlap_tokens: int = Field(default=32, ge=0, le=128)
    header_max_tokens: int = Field(default=40, ge=0, le=128)

    fetch_timeout_s: float = Field(default=15.0, gt=0)
    fetch_max_bytes: int = Field(default=10_000_000, gt=0)
    fetch_max_redirects: int = Field(default=5, ge=0)
    allow_private_urls: bool = Field(
        default=False, description="Allow fetching from private, loopback and link-local addresses."
    )
    user_agent: str = "newsdesk/0.1 (+https://github.com/newsdesk)"
    max_file_bytes: int = Field(default=50_000_000, gt=0, description="Files larger than this are refused.")
    max_article_chars: int = Field(default=1_000_000, gt=0, description="Longer article texts are refused.")

    @property
    def chroma_path(self) -> Path:
        """Where the embedded Chroma store lives."""
        return self.data_dir / "chroma"

    @property
    def model_cache_dir(self) -> Path:
        """Where exported/quantised model files are cached (derived locally, never downloaded)."""
        return self.model_cache or self.data_dir / "models"
