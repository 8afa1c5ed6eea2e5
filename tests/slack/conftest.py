"""Fixtures of the Slack tests: a fake Slack Web API, an archive on a real Chroma server, and the
service under a real uvicorn (HTTP mode) talking to both.

Module-scoped: one fake, one Chroma server and one service process per test module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from chroma_process import ChromaServer
from service_process import (
    HttpService,
    ingest_into,
    news_drafts,
    slack_service_env,
)
from slack_fakes import FakeSlack

from bench.launcher import free_port
from ingest.embedding import Embedder
from ingest.readers import read_sources
from ingest.settings import IngestSettings


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def own_chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """A Chroma server of this module alone (a test stops it to take the archive down)."""
    server = ChromaServer(tmp_path_factory.mktemp("slack-chroma") / "data", free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def slack_archive(
    own_chroma: ChromaServer,
    embedder: Embedder,
    model_cache: Path,
    seed_article: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> IngestSettings:
    """The seed article (as published by Asianet Newsable) and the small news archive, stored on ``own_chroma``."""
    settings = IngestSettings(
        data_dir=tmp_path_factory.mktemp("slack-ingest"),
        chroma_url=own_chroma.url,
        collection_prefix="slack" + os.urandom(3).hex(),
        model_cache=model_cache,
    )
    ingest_into(
        settings,
        embedder,
        news_drafts() + list(read_sources([str(seed_article)], settings, source_name="Asianet Newsable")),
    )
    return settings


@pytest.fixture(scope="module")
def service_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The service's data folder (its Slack state file lives here)."""
    return tmp_path_factory.mktemp("slack-service") / "data"


@pytest.fixture(scope="module")
def slack_service(
    slack_archive: IngestSettings, fake_slack: FakeSlack, service_data_dir: Path, model_cache: Path
) -> Iterator[HttpService]:
    """``create_app`` + the Slack router under uvicorn, signing secret on, Slack = ``fake_slack``."""
    env = slack_service_env(slack_archive, fake_slack.api_url, service_data_dir, model_cache)
    service = HttpService(env, cwd=service_data_dir.parent, log_path=service_data_dir.parent / "service.log")
    service.wait_ready()
    yield service
    service.stop()
