"""Dense retrieval: the chunks whose embeddings lie nearest the query's."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from ingest.embedding import Embedder
from ingest.store import ArchiveStore, ChunkHit
from ingest.store.archive import article_filter


def dense_search(
    store: ArchiveStore,
    embedder: Embedder,
    query: str,
    k: int = 10,
    *,
    sources: Sequence[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[ChunkHit]:
    """The ``k`` best chunks for ``query`` by cosine similarity, narrowed by outlet and date."""
    vector = embedder.encode([query])[0]
    return store.query_chunks(vector, k, where=article_filter(sources=sources, since=since, until=until))
