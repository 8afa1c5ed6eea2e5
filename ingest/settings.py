"""Configuration of the ingest side, read once from the environment (``NEWSDESK_`` prefix) or ``.env``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
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
        default=None,
        description="Where model files are kept (the ONNX export and the local LLM); default: DATA_DIR/models for "
        "the local LLM, and embed_cache for the ONNX export.",
    )
    embed_cache: Path | None = Field(
        default=None,
        description="Where the ONNX export of the embedding model is cached; default: model_cache when set, else the "
        "user's cache folder ($XDG_CACHE_HOME/newsdesk/models, else ~/.cache/newsdesk/models), shared by every "
        "data folder so a fresh one does not export the model again.",
    )
    embed_batch_size: int = Field(default=32, ge=1, le=1024)
    embed_max_tokens: int = Field(default=256, ge=32, le=512, description="The model's window in word pieces.")
    embed_query_threads: int = Field(
        default=1,
        ge=0,
        le=64,
        description="onnxruntime threads for a request's few texts (questions, evidence sentences); 0: one per core. "
        "Bulk embedding (ingest) always uses one per core.",
    )
    embed_query_slots: int = Field(
        default=0,
        ge=0,
        le=64,
        description="Requests' embedding calls run side by side, at most this many at once; 0: one per core divided by "
        "embed_query_threads (with embed_query_threads=0, one at a time). A bulk batch always runs alone.",
    )

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

    feed_every_s: float = Field(default=900.0, gt=0, description="How often a feed is polled unless it says --every.")
    feed_min_every_s: float = Field(
        default=60.0, gt=0, description="The shortest polling interval a feed may be given (be kind to publishers)."
    )
    feed_backoff_cap_s: float = Field(
        default=6 * 3600.0, gt=0, description="Longest wait after repeated errors (doubling from the feed's interval)."
    )
    feed_lease_s: float = Field(
        default=600.0,
        gt=0,
        description="How long a poller holds a feed; another may take it after that (a poller that died).",
    )
    feed_check_s: float = Field(
        default=5.0, gt=0, description="How often a running poller looks for due feeds (and feeds added elsewhere)."
    )

    @model_validator(mode="after")
    def _default_embed_cache(self) -> IngestSettings:
        # Resolved here, when the settings are built at the program's edge, so nothing deeper reads the environment.
        if self.embed_cache is None:
            self.embed_cache = self.model_cache or user_cache_dir(self.data_dir) / "models"
        return self

    @property
    def chroma_path(self) -> Path:
        """Where the embedded Chroma store lives."""
        return self.data_dir / "chroma"

    @property
    def feeds_path(self) -> Path:
        """The feed subscriptions and their polling state, shared by every process on the machine."""
        return self.data_dir / "feeds.sqlite3"

    @property
    def model_cache_dir(self) -> Path:
        """Where the local LLM is assembled (derived locally, never downloaded)."""
        return self.model_cache or self.data_dir / "models"

    @property
    def embed_cache_dir(self) -> Path:
        """Where the exported/quantised embedding model is cached (derived locally, never downloaded)."""
        return self.embed_cache or self.model_cache_dir


def user_cache_dir(fallback: Path) -> Path:
    """newsdesk's folder in the user's cache (the XDG base directory rule); ``fallback`` when there is no home."""
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "newsdesk"
    try:
        return Path.home() / ".cache" / "newsdesk"
    except RuntimeError:  # no HOME and no password entry (some containers)
        return fallback
