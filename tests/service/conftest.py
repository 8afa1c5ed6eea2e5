"""An archive of a few small articles, stored for real, for retrieval and answering tests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from news_archive import NEWS

from ingest.embedding import Embedder
from ingest.lexical import LexicalFollower, attach_lexical_index
from ingest.pipeline import Ingestor
from ingest.readers import read_sources
from ingest.settings import IngestSettings
from ingest.store import ArchiveStore, open_store
from service.retrieval.hybrid import HybridRetriever
from service.retrieval.lexical import LexicalSearch


@pytest.fixture(scope="module")
def archive_settings(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> IngestSettings:
    return IngestSettings(data_dir=tmp_path_factory.mktemp("archive"), model_cache=model_cache)


@pytest.fixture(scope="module")
def news_follower(archive_settings: IngestSettings, embedder: Embedder, seed_article: Path) -> LexicalFollower:
    """The archive's lexical index, written as the articles were stored and caught up, as a server's is."""
    store = open_store(archive_settings, embedder.name, embedder.dimension)
    follower = attach_lexical_index(archive_settings, store)
    ingestor = Ingestor(archive_settings, store, embedder)
    summary = ingestor.ingest(list(NEWS) + list(read_sources([str(seed_article)], archive_settings)))
    assert summary.failed == 0, summary.failures
    follower.catch_up()
    return follower


@pytest.fixture(scope="module")
def news_store(news_follower: LexicalFollower) -> ArchiveStore:
    return news_follower.store


@pytest.fixture(scope="module")
def news_lexical(news_follower: LexicalFollower) -> LexicalSearch:
    """BM25 search over the archive's lexical index."""
    return LexicalSearch(news_follower)


@pytest.fixture(scope="module")
def retriever(news_store: ArchiveStore, embedder: Embedder, news_lexical: LexicalSearch) -> HybridRetriever:
    return HybridRetriever(news_store, embedder, news_lexical)


def days(n: float) -> timedelta:
    return timedelta(days=n)
