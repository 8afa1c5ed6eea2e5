"""BM25 over the stored chunks: finds names, numbers and rare words the embedding misses.

The query side of the lexical index that ingest keeps beside the store (``ingest.lexical``:
Tantivy, updated article by article as writes commit and from the store's change feed).
Outlet and date filters run inside the index. A query never waits for indexing: it reads the
index as it stands; while a first build runs it finds the part built so far, and if the index
file cannot be read it finds nothing (dense retrieval still answers) and says so in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from ingest.lexical import LexicalFilter, LexicalFollower, LexicalHit, LexicalIndexBroken
from ingest.lexical.listing import window_articles
from service.retrieval.outlet_hints import OutletFilter, read_outlet_filter

log = logging.getLogger(__name__)

__all__ = ["LexicalHit", "LexicalSearch"]


class LexicalSearch:
    """Searches, outlet names, filter shares and date windows from one lexical index."""

    def __init__(self, follower: LexicalFollower):
        self.follower = follower
        self.index = follower.index

    def sources(self) -> list[str]:
        """Every outlet name in the index (for reading outlet names in questions)."""
        try:
            return self.index.sources()
        except LexicalIndexBroken as exc:
            log.warning("%s: run `newsdesk reindex`", exc)
            return []

    def outlets_named(self, names: Sequence[str]) -> OutletFilter:
        """The stored outlets a filter's ``names`` mean, whatever their case or spelling, and those meaning none."""
        return read_outlet_filter(names, self.sources())

    def share(
        self, *, sources: Sequence[str] | None = None, since: datetime | None = None, until: datetime | None = None
    ) -> float | None:
        """The fraction of indexed chunks within these filters, or ``None`` while the index is empty.

        Chunks here are the store's committed chunks, so this estimates how selective the same
        filter is on the store (dense retrieval picks its query plan by it).
        """
        try:
            return self.index.share(LexicalFilter(sources, since, until))
        except LexicalIndexBroken as exc:
            log.warning("%s: run `newsdesk reindex`", exc)
            return None

    def newest_published(
        self, *, sources: Sequence[str] | None = None, until: datetime | None = None
    ) -> datetime | None:
        """When the newest dated article within these filters was published; None when none is (or the index
        cannot be read)."""
        try:
            newest = self.index.newest_published(LexicalFilter(sources, None, until))
        except LexicalIndexBroken as exc:
            log.warning("%s: run `newsdesk reindex`", exc)
            return None
        return datetime.fromtimestamp(newest, UTC) if newest is not None else None

    def window(
        self,
        *,
        sources: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        max_chunks: int,
    ) -> list[str] | None:
        """Every article within these filters when they hold at most ``max_chunks`` chunks, else None
        (also while the index cannot vouch for the whole archive): dense retrieval searches a narrow
        window's chunks exactly instead of through Chroma's filter."""
        try:
            return window_articles(self.follower, sources=sources, since=since, until=until, max_chunks=max_chunks)
        except LexicalIndexBroken as exc:
            log.warning("%s: run `newsdesk reindex`", exc)
            return None

    def search(
        self,
        query: str,
        k: int,
        *,
        sources: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[LexicalHit]:
        """The ``k`` best chunks for ``query`` by BM25, within the outlet and date filters."""
        try:
            return self.index.search(query, k, LexicalFilter(sources, since, until))
        except LexicalIndexBroken as exc:
            log.warning("%s: run `newsdesk reindex`", exc)
            return []
