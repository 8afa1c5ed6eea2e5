"""The store's change feed: every write, in order, for followers on other servers (both store modes)."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

import pytest

from ingest.embedding import Embedder
from ingest.models import ArticleDraft
from ingest.pipeline import Ingestor
from ingest.settings import IngestSettings
from ingest.store import ArchiveStore, open_store
from ingest.store.changes import now_position

pytestmark = pytest.mark.slow


def draft(url: str, text: str) -> ArticleDraft:
    return ArticleDraft(
        origin="test",
        title="Tram line vote",
        text=text,
        source="Harbour Times",
        published_at=datetime(2024, 3, 5, tzinfo=UTC),
        url=url,
    )


@pytest.fixture
def store(ingest_settings: IngestSettings, embedder: Embedder) -> ArchiveStore:
    return open_store(ingest_settings, embedder.name, embedder.dimension)


@pytest.fixture
def ingestor(ingest_settings: IngestSettings, store: ArchiveStore, embedder: Embedder) -> Ingestor:
    return Ingestor(ingest_settings, store, embedder)


def test_creates_updates_and_deletes_appear_in_the_feed_in_order(ingestor: Ingestor, store: ArchiveStore) -> None:
    start = now_position()
    created = ingestor.ingest_one(draft("https://x.example/a", "The council voted for the tram line."))
    updated = ingestor.ingest_one(draft("https://x.example/a", "The council voted against the tram line."))
    ingestor.ingest_one(draft("https://x.example/a", "The council voted against the tram line."))  # unchanged
    assert store.delete_article(created.id or "")

    changes, next_position = store.changes_since(start)
    stored_first = changes[0].content_hash
    assert [c.article_id for c in changes] == [created.id] * 3
    assert stored_first is not None and changes[1].content_hash not in (None, stored_first)
    assert changes[2].content_hash is None  # the delete
    assert updated.status == "updated"
    assert [c.position for c in changes] == sorted(c.position for c in changes)
    assert next_position == changes[-1].position
    assert store.changes_since(next_position) == ([], next_position)  # nothing new: ask again from the same place


def test_the_feed_is_read_a_page_at_a_time(ingestor: Ingestor, store: ArchiveStore) -> None:
    start = now_position()
    ids = [ingestor.ingest_one(draft(f"https://x.example/{n}", f"Story number {n} about trams.")).id for n in range(3)]
    first, after_first = store.changes_since(start, limit=2)
    rest, _ = store.changes_since(after_first, limit=2)
    assert [c.article_id for c in first + rest] == ids


def test_trimming_drops_old_changes_and_says_from_where(ingestor: Ingestor, store: ArchiveStore) -> None:
    assert store.changes_floor() <= now_position()
    ingestor.ingest_one(draft("https://x.example/old", "An old story about trams."))
    cut = now_position()
    newer = ingestor.ingest_one(draft("https://x.example/new", "A new story about buses."))
    store.trim_changes(cut)
    assert store.changes_floor() == cut
    changes, _ = store.changes_since(0)
    assert [c.article_id for c in changes] == [newer.id]


def test_a_reader_far_behind_reads_more_changes_than_one_chroma_read_returns(store: ArchiveStore) -> None:
    # Chroma's SQLite fails a read of more than 32,766 records with their metadata: a server a
    # day behind a busy newsroom must still get every change, in order, a page at a time.
    start = now_position()
    written = [f"article-{n:05d}" for n in range(40_000)]
    for at in range(0, len(written), 8_000):  # five writers' batches, each at its own position
        store._feed.append([(article_id, "hash") for article_id in written[at : at + 8_000]])
        time.sleep(0.002)

    everything, _ = store.changes_since(start, limit=sys.maxsize)
    assert [c.article_id for c in everything] == written

    paged: list[str] = []
    position = start
    while True:
        page, position = store.changes_since(position, limit=10_000)
        paged += [c.article_id for c in page]
        if not page:
            break
        # A page never splits a position: it ends with a whole batch of 8,000, never past 16,000.
        assert len(page) in (8_000, 16_000)
    assert paged == written
