"""The store's change feed: every write, in order, for followers on other servers (both store modes)."""

from __future__ import annotations

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
