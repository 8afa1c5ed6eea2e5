"""Harness of the Slack tests: real server processes (uvicorn, ``newsdesk slack``) stopped by their PID, and archive set-up."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
from ports import free_port

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
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSDESK_", "SLACK_"))}
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1"})
    env.update(overrides)
    return env


class ServiceProcess:
    """A subprocess whose output goes to a log file; ``stop`` sends SIGTERM to its PID."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: Path, log_path: Path):
        self.log_path = log_path
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_for_log(self, text: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log():
            if not self.alive():
                raise RuntimeError(f"process exited with {self.process.returncode}:\n{self.log()[-4000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not logged within {timeout:.0f} s:\n{self.log()[-4000:]}")
            time.sleep(0.2)

    def stop(self) -> int:
        if self.alive():
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


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

    def wait_ready(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.log()[-4000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2, trust_env=False).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the server did not answer within {timeout:.0f} s:\n{self.log()[-4000:]}")

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=kwargs.pop("timeout", 60), trust_env=False, **kwargs)
