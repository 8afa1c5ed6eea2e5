"""Fixtures shared by every test: the shared data folder, a real Chroma server, the real model."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from chroma_process import ChromaServer
from shared_data import SHARED

from bench.launcher import free_port
from ingest.embedding import Embedder, load_embedder
from ingest.settings import IngestSettings

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (or ``$NEWSDESK_SHARED_DIR``): the seed article and the evaluation datasets (read, never copied)."""
    if not SHARED.exists():
        # Not a skip: CI must exercise these tests, and a missing folder is a broken checkout.
        pytest.fail(
            f"{SHARED} is missing: newsdesk's tests read the seed article and datasets from ../shared (or $NEWSDESK_SHARED_DIR)"
        )
    return SHARED


@pytest.fixture(scope="session")
def seed_article(shared_dir: Path) -> Path:
    return shared_dir / "seed" / "kazakhstan-csto.txt"


@pytest.fixture(scope="session")
def seed_lines(seed_article: Path) -> list[str]:
    """The seed file's non-blank lines, stripped: headline, standfirst, byline, dateline, then the paragraphs.

    Tests quote the seed from ../shared through this and ``seed_sentences``, never from a copy of it.
    """
    return [line.strip() for line in seed_article.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def seed_sentences(seed_lines: list[str]) -> list[str]:
    """The sentences of the seed's standfirst and paragraphs, spaces collapsed."""
    body = " ".join(" ".join(seed_lines[1:2] + seed_lines[4:]).split())
    return re.split(r"(?<=[.!?])\s+", body)


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ONNX export per test session instead of one per test."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """One Chroma server for the session; tests keep apart by collection prefix."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data", free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["embedded", "server"])
def ingest_settings(request: pytest.FixtureRequest, tmp_path: Path, model_cache: Path) -> IngestSettings:
    """Settings for a fresh archive, once embedded (PersistentClient) and once on the Chroma server."""
    prefix = "t" + os.urandom(4).hex()
    if request.param == "server":
        server: ChromaServer = request.getfixturevalue("chroma_server")
        return IngestSettings(
            data_dir=tmp_path, chroma_url=server.url, collection_prefix=prefix, model_cache=model_cache
        )
    return IngestSettings(data_dir=tmp_path, collection_prefix=prefix, model_cache=model_cache)


@pytest.fixture(scope="session")
def embedder(model_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    """The real bundled model, loaded once for the whole session."""
    return load_embedder(IngestSettings(data_dir=tmp_path_factory.mktemp("data"), model_cache=model_cache))
