"""Fixtures of the operations tests: real ``newsdesk`` processes over real Chroma servers, and the articles they use.

Everything here runs as separate processes, the way a newsroom deploys newsdesk: ``chroma run``,
``newsdesk serve`` and ``newsdesk ingest``, each on 127.0.0.1 and each stopped by its PID.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from newsdesk_processes import live_server


@pytest.fixture(scope="session")
def realtimeqa_articles(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 distinct real news articles from the RealTime QA dataset, as one JSONL file outside the project."""
    out = tmp_path_factory.mktemp("realtimeqa") / "articles.jsonl"
    seen: set[str] = set()
    lines: list[str] = []
    for path in sorted((shared_dir / "datasets").glob("realtimeqa_*/past/2025/*_gcs.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for result in json.loads(line).get("search_result") or []:
                if result.get("url") in seen or len(result.get("text") or "") < 1500:
                    continue
                seen.add(result["url"])
                lines.append(json.dumps(result))
                if len(lines) == 30:
                    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
                    return out
    pytest.fail("the RealTime QA dataset in ../shared holds fewer than 30 usable articles")


@pytest.fixture
def prefix() -> str:
    """A collection prefix of this test's own on a shared Chroma server."""
    return "ops" + os.urandom(4).hex()


@pytest.fixture
def news_jsonl(tmp_path: Path) -> Path:
    """The small made-up news archive of the service tests, as a JSONL file."""
    return live_server.write_news_jsonl(tmp_path / "news.jsonl")


@pytest.fixture
def servers() -> Iterator[list]:
    """``newsdesk serve`` processes a test starts; each is stopped by its PID afterwards."""
    started: list = []
    yield started
    for server in started:
        server.stop()
