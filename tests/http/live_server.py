"""A real ``newsdesk serve`` subprocess for tests: start it over a data folder, talk to it, stop it by PID."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from ports import free_port

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
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSDESK_", "SLACK_"))}
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1"})
    env.update(overrides)
    return env


@dataclass
class LiveServer:
    """A ``newsdesk serve`` subprocess on 127.0.0.1."""

    process: subprocess.Popen[bytes]
    url: str
    log_path: Path
    data_dir: Path
    api_key: str = API_KEY
    stopped_with: int | None = field(default=None)

    def client(self, **kwargs: Any) -> httpx.Client:
        """An HTTP client for this server (no proxies from the environment)."""
        return httpx.Client(base_url=self.url, timeout=kwargs.pop("timeout", 120), trust_env=False, **kwargs)

    def log(self) -> str:
        """What the server has printed so far."""
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int:
        """SIGTERM by PID and wait; kill if it does not stop in time. Returns the exit code."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.stopped_with = self.process.returncode
        return self.process.returncode


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
    log = log_path.open("wb")
    process = subprocess.Popen(
        [str(NEWSDESK), "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "info"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=data_dir.parent,
    )
    log.close()
    server = LiveServer(process=process, url=f"http://127.0.0.1:{port}", log_path=log_path, data_dir=data_dir)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"newsdesk serve exited with {process.returncode}:\n{server.log()[-3000:]}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=2, trust_env=False).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"newsdesk serve did not answer within {timeout:.0f} s:\n{server.log()[-3000:]}")
