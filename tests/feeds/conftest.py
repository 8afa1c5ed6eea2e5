"""Fixtures of the feed tests: a local feed server, a fresh archive, a poller on a clock the test moves."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.feed_server import FeedServer
from ingest.embedding import Embedder
from ingest.feeds import FeedPoller, FeedState
from ingest.pipeline import Ingestor
from ingest.settings import IngestSettings
from ingest.store import ArchiveStore, open_store


class Clock:
    """Time that moves only when the test says: polls come due without sleeping through intervals."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
def feed_settings(tmp_path: Path, model_cache: Path) -> IngestSettings:
    """Settings that never read the environment: loopback feeds allowed, seconds instead of minutes."""
    return IngestSettings(
        _env_file=None,
        data_dir=tmp_path / "data",
        collection_prefix="f" + os.urandom(4).hex(),
        model_cache=model_cache,
        allow_private_urls=True,  # the feeds are on 127.0.0.1; the default refuses them
        fetch_timeout_s=1.0,
        feed_every_s=60.0,
        feed_min_every_s=1.0,
        feed_backoff_cap_s=300.0,
        feed_lease_s=30.0,
        feed_check_s=0.1,
    )


@pytest.fixture
def store(feed_settings: IngestSettings, embedder: Embedder) -> ArchiveStore:
    return open_store(feed_settings, embedder.name, embedder.dimension)


@pytest.fixture
def ingestor(feed_settings: IngestSettings, store: ArchiveStore, embedder: Embedder) -> Ingestor:
    return Ingestor(feed_settings, store, embedder)


@pytest.fixture
def state(feed_settings: IngestSettings) -> FeedState:
    return FeedState(feed_settings.feeds_path)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def write_lock() -> threading.Lock:
    return threading.Lock()


@pytest.fixture
def poller(
    feed_settings: IngestSettings, state: FeedState, ingestor: Ingestor, clock: Clock, write_lock: threading.Lock
) -> FeedPoller:
    return FeedPoller(feed_settings, state, lambda: ingestor, name="poller-a", clock=clock, write_lock=write_lock)
