"""A real ``newsdesk serve`` subprocess for tests: start it over a data folder, talk to it, stop it by PID."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.launcher import Launched, answers, free_port, launch, offline_env

PROJECT = Path(__file__).resolve().parents[2]
API_KEY = "test-key-0123456789"
NEWSDESK = Path(sys.executable).parent / "newsdesk"
ARTIFACTS = PROJECT / "artifacts"


def _news_drafts() -> list[Any]:
    """``NEWS`` of ``tests/service/news_archive.py`` (loaded by path: that folder is not a package)."""
    path = PROJECT / "tests" / "service" / "news_archive.py"
    spec = importlib.util.spec_from_file_location("newsdesk_test_news_archive", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.NEWS)


def clean_env(**overrides: str) -> dict[str, str]:
    """This process's environment without any NEWSDESK_* or SLACK_* setting, plus ``overrides``."""
    return offline_env(drop=("NEWSDESK_", "SLACK_"), **overrides)


@dataclass
class LiveServer:
    """A ``newsdesk serve`` subprocess on 127.0.0.1."""

    launched: Launched
    url: str
    data_dir: Path
    api_key: str = API_KEY
    stopped_with: int | None = field(default=None)

    @property
    def process(self) -> subprocess.Popen[bytes]:
        return self.launched.process

    @property
    def log_path(self) -> Path:
        return self.launched.log_path

    def client(self, **kwargs: Any) -> httpx.Client:
        """An HTTP client for this server (no proxies from the environment)."""
        return httpx.Client(base_url=self.url, timeout=kwargs.pop("timeout", 120), trust_env=False, **kwargs)

    def log(self) -> str:
        """What the server has printed so far."""
        return self.launched.log()

    def stop(self) -> int:
        """SIGTERM by PID and wait; kill if it does not stop in time. Returns the exit code."""
        self.stopped_with = self.launched.stop(timeout=30)
        return self.stopped_with


def write_news_jsonl(path: Path) -> Path:
    """The small news archive as a JSONL file the CLI can ingest."""
    with path.open("w", encoding="utf-8") as out:
        for draft in _news_drafts():
            out.write(
                json.dumps(
                    {
                        "url": draft.url,
                        "title": draft.title,
                        "text": draft.text,
                        "source": draft.source,
                        "authors": draft.authors,
                        "published_at": draft.published_at.isoformat() if draft.published_at else None,
                    }
                )
                + "\n"
            )
    return path


def start_server(data_dir: Path, log_path: Path, env: dict[str, str], timeout: float = 300) -> LiveServer:
    """Start ``newsdesk serve`` and wait until ``/healthz`` answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    launched = launch(
        [str(NEWSDESK), "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "info"],
        ready=answers(f"{url}/healthz"),
        timeout=timeout,
        log_path=log_path,
        env=env,
        cwd=data_dir.parent,
        name="newsdesk serve",
    )
    return LiveServer(launched=launched, url=url, data_dir=data_dir)
