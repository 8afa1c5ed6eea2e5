"""An archive of a few small articles, stored for real, for retrieval and answering tests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from news_archive import NEWS

from ingest.embedding import Embedder
from ingest.lexical import LexicalIndex, attach_lexical_index
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
def news_store(archive_settings: IngestSettings, embedder: Embedder, seed_article: Path) -> ArchiveStore:
    store = open_store(archive_settings, embedder.name, embedder.dimension)
    attach_lexical_index(archive_settings, store)  # indexed as written, as a server's store is
    ingestor = Ingestor(archive_settings, store, embedder)
    summary = ingestor.ingest(list(NEWS) + list(read_sources([str(seed_article)], archive_settings)))
    assert summary.failed == 0, summary.failures
    return store


@pytest.fixture(scope="module")
def news_lexical(news_store: ArchiveStore) -> LexicalSearch:
    """BM25 search over the archive's lexical index (written as the articles were stored)."""
    index = next(listener for listener in news_store.listeners if isinstance(listener, LexicalIndex))
    return LexicalSearch(index)


@pytest.fixture(scope="module")
def retriever(news_store: ArchiveStore, embedder: Embedder, news_lexical: LexicalSearch) -> HybridRetriever:
    return HybridRetriever(news_store, embedder, news_lexical)


def days(n: float) -> timedelta:
    return timedelta(days=n)
