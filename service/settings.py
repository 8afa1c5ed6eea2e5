"""Configuration of the answering service, read once from the environment (``NEWSDESK_`` prefix) or ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from ingest.settings import IngestSettings
from service.local_llm.catalog import DEFAULT_SIZE, LocalModelSize


class ServiceSettings(BaseSettings):
    """Everything the service needs beyond ingest's own settings, which it carries as ``ingest``."""

    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", env_file=".env", extra="ignore")

    ingest: IngestSettings = Field(default_factory=IngestSettings, exclude=True)

    llm: str = Field(
        default="none",
        description="The LLM backend, by its name in service/answer/backends/registry.py: none (the extractive "
        "answerer alone), openai (any OpenAI-compatible endpoint), llamacpp (a local GGUF) or local (the pinned "
        "Qwen2.5-Coder model that make local-llm assembles).",
    )
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(default=30.0, gt=0)
    llm_context_tokens: int = Field(
        default=8192,
        ge=512,
        description="Context window of a local GGUF (NEWSDESK_LLM=llamacpp or local): the prompt with its evidence "
        "must fit.",
    )
    local_llm_size: LocalModelSize = Field(
        default=DEFAULT_SIZE,
        description="Which assembled model NEWSDESK_LLM=local runs (make local-llm): 1.5b, or 0.5b (twice as fast, "
        "weaker over long evidence).",
    )
    reader_budget_tokens: int = Field(
        default=600,
        ge=50,
        description="How much evidence the LLM reader is shown, in tokens (about 4 characters each): the best "
        "sentences of the retrieved passages, each under its article's title, outlet and date.",
    )
    reader_check: bool = Field(
        default=True,
        description="After the LLM reader answers, ask the same model whether the sentences it cited state that "
        "answer to this very question, and decline when it says no (prompts/reader_check_*.txt).",
    )
    reader_sentence: bool = Field(
        default=False,
        description="Also ask the LLM reader for one sentence of answer in its own words, kept where the citation "
        "check supports it (otherwise the answer is the cited sentences, verbatim). It is the longest part of the "
        "reply: about 30 more generated tokens, some 6 s for the local 1.5B model on 2 cores.",
    )
    condense: bool = Field(
        default=True,
        description="With an LLM configured, rewrite follow-ups with the condense prompt (prompts/condense_*.txt), the "
        "heuristic as its fallback; false: the heuristic rewrite alone, while the LLM still answers.",
    )

    prompts_dir: Path | None = Field(
        default=None, description="Where prompt files live; default: prompts/ at the project root."
    )

    min_evidence: float = Field(default=0.35, ge=0, le=1, description="Weaker evidence than this: answered false.")
    min_coverage: float = Field(
        default=0.35,
        ge=0,
        le=1,
        description="Extractive answerer, standalone questions: an answer whose best sentence (with its headline) "
        "holds less of the question's content words than this share (names weigh double) is declined (answered "
        "false); calibrated on dev (README, 'Declining what the archive does not hold'); 0 never declines.",
    )
    lexical_refresh_s: float = Field(
        default=1.0, ge=0, description="How often the lexical index checks the store for changes."
    )

    api_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list, description="Keys accepted in X-API-Key / Bearer; empty: open reads."
    )
    protect_reads: bool = Field(
        default=False, description="HTTP reads (ask, search, articles, citations, pages, metrics) need a key too."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Origins allowed by CORS, comma-separated ('*': any)."
    )
    max_body_bytes: int = Field(default=1_000_000, gt=0, description="Largest HTTP request body; 413 beyond.")
    max_article_body_bytes: int = Field(
        default=5_000_000, gt=0, description="Largest body of POST /v1/articles; 413 beyond."
    )
    max_question_chars: int = Field(default=2000, gt=0, description="Longest question over HTTP; 422 beyond.")
    malloc_arenas: int = Field(
        default=2,
        ge=0,
        description="glibc malloc arenas of `newsdesk serve` and `newsdesk slack` (0: glibc's default); "
        "fewer keep memory flat.",
    )
    work_slots: int | None = Field(
        default=None,
        ge=1,
        description="Asks and searches one server computes at once (default: one per CPU, at least 2; writes "
        "have one slot of their own); more wait their turn.",
    )
    conversation_ttl_s: float = Field(
        default=7 * 24 * 3600.0,
        gt=0,
        description="A conversation is forgotten this long after its last turn (default a week).",
    )
    conversation_max_turns: int = Field(
        default=50, ge=1, description="Turns one conversation may hold; the next is refused (409)."
    )
    conversation_max_bytes: int = Field(
        default=500_000, ge=1000, description="Stored size one conversation may reach; the next turn is refused (409)."
    )
    public_url: str = Field(default="http://127.0.0.1:8000", description="Base of citation links in Slack.")
    host: str = "127.0.0.1"
    port: int = 8000

    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "NEWSDESK_SLACK_BOT_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "NEWSDESK_SLACK_SIGNING_SECRET")
    )
    slack_app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "NEWSDESK_SLACK_APP_TOKEN")
    )
    slack_api_url: str | None = None
    slack_command_response: Literal["in_channel", "ephemeral"] = Field(
        default="in_channel", description="Who sees the slash command's answer: the channel, or only the asker."
    )

    watch_threshold: float = Field(
        default=0.40,
        ge=0.0,
        le=1.0,
        description="A new article alerts a watch when its best sentence scores this against the topic "
        "(bench/watch_threshold.py: precision 0.95, recall 0.93 on RealTime QA development topics).",
    )
    watch_alerts_per_hour: int = Field(
        default=6, ge=1, description="Topic alerts one channel gets in an hour at most; more are held back."
    )
    watch_poll_s: float = Field(default=5.0, gt=0, description="How often the alerts follower reads new changes.")
    watches_per_channel: int = Field(default=50, ge=1, description="Topics one channel may watch.")

    @field_validator("api_keys", "cors_origins", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        # Comma-separated in the environment: NEWSDESK_API_KEYS=key1,key2, NEWSDESK_CORS_ORIGINS=https://a,https://b
        if isinstance(value, str):
            return [k.strip() for k in value.split(",") if k.strip()]
        return value
