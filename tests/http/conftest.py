"""Fixtures of the HTTP tests: a real ``newsdesk serve`` over a real archive, a real runtime for in-process tests.

``live_server`` (session-wide, slow) ingests the seed article and the small news archive with the
real ``newsdesk ingest`` CLI into a fresh data folder, starts ``newsdesk serve`` on 127.0.0.1 at a
free port as a subprocess, waits for ``/healthz``, and stops it by its PID at the end (SIGTERM, so
the shutdown is the graceful one; the fixture checks the process exits cleanly).
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from http_fakes import service_settings
from live_server import (
    API_KEY,
    NEWSDESK,
    LiveServer,
    clean_env,
    start_server,
    write_news_jsonl,
)

from ingest.embedding import Embedder
from ingest.readers import read_sources
from ingest.settings import IngestSettings
from service.runtime import Runtime


@pytest.fixture(scope="module")
def archive_runtime(
    tmp_path_factory: pytest.TempPathFactory, model_cache: Path, embedder: Embedder, seed_article: Path
) -> Runtime:
    """A real ``Runtime`` over a fresh embedded archive (one per test module): the seed article and the small news archive.

    For fast in-process tests of the real app: ``create_app(archive_runtime, warm_up=False)`` (it is
    already warm). The session's embedder is reused rather than loaded again, writes need
    ``API_KEY``, and nothing is read from the environment. URL fetches give up after two seconds,
    so a test that sends a public address fails fast instead of waiting on the network.
    """
    root = tmp_path_factory.mktemp("archive-runtime")
    ingest = IngestSettings(_env_file=None, data_dir=root / "data", model_cache=model_cache, fetch_timeout_s=2.0)  # type: ignore[call-arg]
    runtime = Runtime(service_settings(ingest=ingest, api_keys=[API_KEY], lexical_refresh_s=0))
    # ``Runtime.embedder`` is a cached_property: setting it skips loading a second copy of the model.
    runtime.embedder = embedder  # type: ignore[misc]
    news = write_news_jsonl(root / "news.jsonl")
    summary = runtime.ingestor.ingest(read_sources([str(seed_article), str(news)], ingest))
    assert summary.failed == 0 and summary.new >= 8, summary
    runtime.warm_up()
    return runtime


class InFlight(threading.Thread):
    """A streamed ask that is under way when the server is told to stop."""

    def __init__(self, server: LiveServer):
        super().__init__(daemon=True)
        self.server = server
        self.started = threading.Event()
        self.events: list[str] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with (
                self.server.client() as client,
                client.stream(
                    "POST",
                    "/v1/ask",
                    json={"question": "who sent peacekeepers?"},
                    headers={"Accept": "text/event-stream"},
                ) as response,
            ):
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        self.events.append(line[len("event: ") :])
                        self.started.set()
        except BaseException as exc:  # noqa: BLE001 - reported by the fixture
            self.error = exc
        finally:
            self.started.set()


def answer_during_shutdown(server: LiveServer) -> InFlight:
    """Start a streamed ask and return once its first event has arrived."""
    thread = InFlight(server)
    thread.start()
    thread.started.wait(timeout=120)
    return thread


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, model_cache: Path, seed_article: Path
) -> Iterator[LiveServer]:
    """A real server over the seed article and the small news archive; writes need ``API_KEY``."""
    root = tmp_path_factory.mktemp("http-server")
    data_dir = root / "data"
    env = clean_env(NEWSDESK_DATA_DIR=str(data_dir), NEWSDESK_MODEL_CACHE=str(model_cache), NEWSDESK_API_KEYS=API_KEY)
    news = write_news_jsonl(root / "news.jsonl")
    ingest = subprocess.run(
        [str(NEWSDESK), "ingest", str(seed_article), str(news), "--json"],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ingest.returncode == 0, ingest.stderr[-3000:]
    summary = json.loads(ingest.stdout)
    assert summary["failed"] == 0 and summary["new"] >= 8, summary
    server = start_server(data_dir, root / "server.log", env)
    yield server
    in_flight = answer_during_shutdown(server)
    code = server.stop()
    in_flight.join(timeout=60)
    assert in_flight.events and in_flight.events[-1] == "answer", (
        f"in-flight request cut off: {in_flight.events} {in_flight.error}"
    )
    # uvicorn finishes in-flight requests and the lifespan, then re-raises SIGTERM (exit -15) on purpose.
    assert code in (0, -signal.SIGTERM), f"newsdesk serve did not shut down cleanly ({code}):\n{server.log()[-3000:]}"
    assert "Application shutdown complete" in server.log(), server.log()[-3000:]
