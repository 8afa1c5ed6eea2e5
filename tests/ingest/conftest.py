"""Helpers shared by the reader tests: reader settings and a local HTTP server.

The seed article comes from the top-level ``seed_article`` fixture (``../shared``, read in place).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ingest.settings import IngestSettings


@pytest.fixture
def reader_settings(tmp_path: Path) -> IngestSettings:
    """Settings that never read the developer's environment or ``.env``."""
    # Every field a reader looks at is set here, so NEWSDESK_* variables cannot change the tests.
    return IngestSettings(
        _env_file=None,
        data_dir=tmp_path / "data",
        fetch_timeout_s=5.0,
        fetch_max_bytes=1_000_000,
        fetch_max_redirects=5,
        allow_private_urls=False,
        max_file_bytes=5_000_000,
        max_article_chars=1_000_000,
    )


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    send_length: bool = True  # False: no Content-Length, the body ends when the connection closes


@dataclass
class LocalServer:
    """A real HTTP server on 127.0.0.1 whose answers the test sets per path."""

    port: int
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: bytes = b"", **options: Any) -> str:
        """Serve ``body`` at ``path`` (options: status, headers, delay_s, send_length); return its URL."""
        self.routes[path] = Route(body=body, **options)
        return self.url(path)


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    routes: dict[str, Route] = {}
    requests: list[tuple[str, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append((self.path, dict(self.headers.items())))
            route = routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if route.delay_s:
                time.sleep(route.delay_s)
            try:
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.send_length and "Content-Length" not in route.headers:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up on purpose (size cap, timeout)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield LocalServer(port=server.server_address[1], routes=routes, requests=requests)
    finally:
        server.shutdown()
        server.server_close()
