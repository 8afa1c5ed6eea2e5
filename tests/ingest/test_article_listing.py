"""Listing the archive newest first, counting its outlets and naming a window's articles, from the lexical
index's state.

Every listing here is checked against the store's own (which reads every record): the two must
give the same pages, whatever the filters.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.embedding import Embedder
from ingest.lexical import LexicalFollower, attach_lexical_index, index_path
from ingest.lexical.index import LexicalFilter
from ingest.lexical.listing import newest_articles, outlet_counts, window_articles
from ingest.models import Article, ArticleDraft
from ingest.pipeline import Ingestor
from ingest.settings import IngestSettings
from ingest.store import ArchiveStore, open_store

OUTLETS = ["Harbour Times", "Bay Post", "Hill Gazette"]


def draft(n: int) -> ArticleDraft:
    """Article ``n``: an outlet in turn, a day of March 2024 (two articles share each day), every
    seventh one undated."""
    published = None if n % 7 == 6 else datetime(2024, 3, 1 + n // 2, 8, tzinfo=UTC)
    return ArticleDraft(
        origin=f"test-{n}",
        url=f"https://news.example/{n}",
        title=f"Story {n} about the river tram",
        text=f"Story number {n} says the council discussed the river tram line for the {n}th time.",
        source=OUTLETS[n % 3],
        published_at=published,
    )


@pytest.fixture
def settings(tmp_path: Path, model_cache: Path) -> IngestSettings:
    return IngestSettings(data_dir=tmp_path, model_cache=model_cache)


@pytest.fixture
def store(settings: IngestSettings, embedder: Embedder) -> ArchiveStore:
    return open_store(settings, embedder.name, embedder.dimension)


@pytest.fixture
def follower(settings: IngestSettings, store: ArchiveStore, embedder: Embedder) -> LexicalFollower:
    follower = attach_lexical_index(settings, store)
    Ingestor(settings, store, embedder).ingest([draft(n) for n in range(20)])
    follower.catch_up()
    return follower


def ids(articles: list[Article]) -> list[str]:
    return [a.id for a in articles]


FILTERS: list[dict[str, object]] = [
    {},
    {"sources": ["Bay Post"]},
    {"sources": ["Bay Post", "Hill Gazette"], "since": datetime(2024, 3, 4, tzinfo=UTC)},
    {"until": datetime(2024, 3, 5, 23, 59, tzinfo=UTC)},
    {"since": datetime(2024, 3, 3, tzinfo=UTC), "until": datetime(2024, 3, 8, tzinfo=UTC)},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_the_index_lists_the_same_pages_as_the_store(
    follower: LexicalFollower, store: ArchiveStore, filters: dict[str, object]
) -> None:
    assert follower.lists_articles()
    for limit, offset in [(50, 0), (4, 0), (4, 4), (3, 17)]:
        listed = newest_articles(follower, limit=limit, offset=offset, **filters)  # type: ignore[arg-type]
        expected = store.list_articles(limit=limit, offset=offset, **filters)  # type: ignore[arg-type]
        assert ids(listed) == ids(expected), (filters, limit, offset)
        assert [a.model_dump() for a in listed] == [a.model_dump() for a in expected]


def test_newest_first_with_undated_articles_last(follower: LexicalFollower) -> None:
    listed = newest_articles(follower, limit=50)
    dated = [a.published_at for a in listed if a.published_at is not None]
    assert len(listed) == 20 and len(dated) == 18
    assert dated == sorted(dated, reverse=True)
    assert all(a.published_at is None for a in listed[18:])
    assert all(a.text == "" for a in listed)  # a listing carries no text


@pytest.mark.parametrize("filters", FILTERS)
def test_the_index_tells_when_the_newest_dated_article_within_the_filters_was_published(
    follower: LexicalFollower, store: ArchiveStore, filters: dict[str, object]
) -> None:
    listed = store.list_articles(limit=50, **filters)  # type: ignore[arg-type]
    dated = [a.published_at for a in listed if a.published_at is not None]
    where = LexicalFilter(filters.get("sources"), filters.get("since"), filters.get("until"))  # type: ignore[arg-type]
    newest = follower.index.newest_published(where)
    assert dated and newest == int(max(dated).timestamp())


@pytest.mark.parametrize("filters", FILTERS)
def test_a_window_names_the_same_articles_as_the_store_lists(
    follower: LexicalFollower, store: ArchiveStore, filters: dict[str, object]
) -> None:
    window = window_articles(follower, max_chunks=1000, **filters)  # type: ignore[arg-type]
    assert window is not None
    assert sorted(window) == sorted(ids(store.list_articles(limit=50, **filters)))  # type: ignore[arg-type]


def test_a_window_holding_more_chunks_than_allowed_is_not_named(follower: LexicalFollower) -> None:
    march_3_to_5 = {"since": datetime(2024, 3, 3, tzinfo=UTC), "until": datetime(2024, 3, 5, 23, 59, tzinfo=UTC)}
    named = window_articles(follower, max_chunks=5, **march_3_to_5)  # type: ignore[arg-type]
    assert named is not None and len(named) == 5  # five dated one-chunk articles
    assert window_articles(follower, max_chunks=4, **march_3_to_5) is None  # type: ignore[arg-type]


def test_no_window_is_named_before_the_index_caught_up_in_this_process(
    settings: IngestSettings, store: ArchiveStore, embedder: Embedder
) -> None:
    follower = attach_lexical_index(settings, store)
    Ingestor(settings, store, embedder).ingest([draft(n) for n in range(4)])
    assert window_articles(follower, max_chunks=1000, sources=["Bay Post"]) is None
    follower.catch_up()
    bay_post = ids(store.list_articles(sources=["Bay Post"], limit=50))
    assert len(bay_post) == 1 and window_articles(follower, max_chunks=1000, sources=["Bay Post"]) == bay_post


def test_a_page_past_every_article_is_empty_whatever_the_offset(follower: LexicalFollower) -> None:
    assert newest_articles(follower, limit=50, offset=20) == []
    assert newest_articles(follower, limit=2**64, offset=2**63) == []  # past SQLite's integers: clamped


def test_outlets_are_counted_from_the_index_as_the_store_counts_them(
    follower: LexicalFollower, store: ArchiveStore
) -> None:
    assert outlet_counts(follower) == store.source_counts() == {"Harbour Times": 7, "Bay Post": 7, "Hill Gazette": 6}


def test_a_deleted_article_leaves_the_listing_even_before_the_index_catches_up(
    follower: LexicalFollower, store: ArchiveStore, settings: IngestSettings, embedder: Embedder
) -> None:
    newest = newest_articles(follower, limit=1)[0]
    # Deleted by another process: this index learns of it only at its next catch-up.
    other = open_store(settings, embedder.name, embedder.dimension)
    assert other.delete_article(newest.id)

    assert newest.id not in ids(newest_articles(follower, limit=50))
    follower.catch_up()
    assert ids(newest_articles(follower, limit=50)) == ids(store.list_articles(limit=50))


def test_an_index_that_never_caught_up_lists_from_the_store(
    settings: IngestSettings, store: ArchiveStore, embedder: Embedder
) -> None:
    Ingestor(settings, store, embedder).ingest([draft(n) for n in range(3)])
    fresh = attach_lexical_index(settings, store)

    assert not fresh.lists_articles()
    assert ids(newest_articles(fresh, limit=50)) == ids(store.list_articles(limit=50))


def test_an_index_written_before_dates_were_kept_gets_them_at_its_next_catch_up(
    follower: LexicalFollower, settings: IngestSettings, store: ArchiveStore
) -> None:
    path = index_path(settings.data_dir, settings.collection_prefix) / "state.sqlite3"
    # The state file as the previous version wrote it: no publication time column.
    with sqlite3.connect(path) as db:
        db.execute("DROP INDEX articles_by_date")
        db.execute("ALTER TABLE articles DROP COLUMN published_ts")
    reopened = attach_lexical_index(settings, store)
    reopened.status.applied_position = follower.status.applied_position  # as a running server would have

    assert not reopened.lists_articles()  # the dates are missing: the store lists meanwhile
    assert ids(newest_articles(reopened, limit=50)) == ids(store.list_articles(limit=50))
    reopened.catch_up()
    assert reopened.lists_articles()
    assert ids(newest_articles(reopened, limit=5, offset=5)) == ids(store.list_articles(limit=5, offset=5))
