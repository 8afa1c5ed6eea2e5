"""Harness of the Slack tests: real server processes (uvicorn, ``newsdesk slack``) stopped by their PID, and archive set-up."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
from slack_fakes import BOT_TOKEN, PUBLIC_URL, SIGNING_SECRET

from bench.launcher import Launched, answers, free_port, offline_env
from ingest.settings import IngestSettings

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
NEWSDESK = Path(sys.executable).parent / "newsdesk"


def load_by_path(name: str, path: Path) -> ModuleType:
    """A test helper module from another test folder (those folders are not packages)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def news_drafts() -> list[Any]:
    """The small made-up archive of ``tests/service/news_archive.py``."""
    return list(load_by_path("newsdesk_slack_news_archive", PROJECT / "tests" / "service" / "news_archive.py").NEWS)


def ingest_into(settings: Any, embedder: Any, sources: list[Any]) -> None:
    """Store ``sources`` with the test session's embedder (no second model load)."""
    from ingest.pipeline import Ingestor
    from ingest.store import open_store

    store = open_store(settings, embedder.name, embedder.dimension)
    summary = Ingestor(settings, store, embedder).ingest(sources)
    assert summary.failed == 0, summary.failures


def service_env(**overrides: str) -> dict[str, str]:
    """This environment without NEWSDESK_* / SLACK_* settings, offline, plus ``overrides``."""
    return offline_env(drop=("NEWSDESK_", "SLACK_"), **overrides)


def slack_service_env(
    archive: IngestSettings, slack_api_url: str, data_dir: Path, model_cache: Path, **overrides: str
) -> dict[str, str]:
    """A Slack-enabled service's environment: ``archive``'s Chroma server, Slack at ``slack_api_url``."""
    return service_env(
        NEWSDESK_DATA_DIR=str(data_dir),
        NEWSDESK_MODEL_CACHE=str(model_cache),
        NEWSDESK_CHROMA_URL=str(archive.chroma_url),
        NEWSDESK_COLLECTION_PREFIX=archive.collection_prefix,
        NEWSDESK_PUBLIC_URL=PUBLIC_URL,
        NEWSDESK_SLACK_API_URL=slack_api_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        **overrides,
    )


class ServiceProcess(Launched):
    """A subprocess whose output goes to a log file; ``stop`` sends SIGTERM to its PID."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: Path, log_path: Path):
        super().__init__(command, log_path=log_path, env=env, cwd=cwd)


class HttpService(ServiceProcess):
    """``create_app`` + the Slack router under uvicorn on 127.0.0.1."""

    def __init__(self, env: dict[str, str], cwd: Path, log_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "slack_server:make_app",
                "--app-dir",
                str(HERE),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            env,
            cwd,
            log_path,
        )
        self.name = "the Slack HTTP service"

    def wait_ready(self, timeout: float = 300) -> None:
        self.wait_until(answers(f"{self.url}/healthz"), timeout, what="answer")

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=kwargs.pop("timeout", 60), trust_env=False, **kwargs)
