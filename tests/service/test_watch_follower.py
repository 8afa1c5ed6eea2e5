"""The alert follower over a real archive: it reads the store's change feed and alerts once per new story."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest

from ingest.embedding import Embedder
from ingest.models import Article, ArticleDraft
from ingest.pipeline import Ingestor
from ingest.settings import IngestSettings
from ingest.store import ArchiveStore, open_store
from service.settings import ServiceSettings
from service.watches.follower import AlertFollower, FollowerConfig
from service.watches.matching import Match, TopicMatcher
from service.watches.store import WatchStore

STORY = (
    "The last peacekeepers of the Collective Security Treaty Organization left Kazakhstan on Thursday. "
    "The Kazakh president thanked the peacekeepers for restoring order in Almaty."
)
SECOND = "Kazakhstan's parliament held a ceremony for the departing CSTO peacekeepers on Friday."
OTHER = "Ferry crews on the Skerry Island route returned to work on Friday after the union accepted a new roster."


def draft(url: str, title: str, text: str, source: str = "Steppe Wire") -> ArticleDraft:
    return ArticleDraft(
        origin=url, url=url, title=title, text=text, source=source, published_at=datetime(2022, 1, 20, tzinfo=UTC)
    )


@pytest.fixture
def archive(tmp_path: Path, model_cache: Path, embedder: Embedder) -> tuple[ArchiveStore, Ingestor]:
    settings = IngestSettings(data_dir=tmp_path / "data", model_cache=model_cache)
    store = open_store(settings, embedder.name, embedder.dimension)
    return store, Ingestor(settings, store, embedder)


def follower(
    store: ArchiveStore,
    watches: WatchStore,
    embedder: Embedder,
    posted: list[Match],
    per_hour: int = 6,
    batch: int = 200,
) -> AlertFollower:
    matcher = TopicMatcher(embedder, ServiceSettings().watch_threshold)
    return AlertFollower(
        store,
        watches,
        matcher,
        lambda m: posted.append(m) is None,
        FollowerConfig(alerts_per_hour=per_hour, batch=batch),
    )


def test_each_new_story_alerts_once_and_copies_and_other_news_never(
    archive: tuple[ArchiveStore, Ingestor], tmp_path: Path, embedder: Embedder
) -> None:
    store, ingestor = archive
    ingestor.ingest([draft("https://steppe.example/old", "Peacekeepers arrive in Kazakhstan", STORY)])
    watches = WatchStore(tmp_path / "slack.sqlite3")
    watch = watches.add("C1", "kazakhstan peacekeepers", "U1")
    posted: list[Match] = []
    alerts = follower(store, watches, embedder, posted)
    alerts.step()  # takes its place at the feed's end: the archive's past never alerts
    assert posted == []

    ingestor.ingest([draft("https://steppe.example/leave", "CSTO peacekeepers leave Kazakhstan", STORY + " Updated.")])
    alerts.step()
    assert [m.article.title for m in posted] == ["CSTO peacekeepers leave Kazakhstan"]
    assert posted[0].watch == watch and posted[0].sentence.text in posted[0].article.text

    ingestor.ingest(
        [
            draft(
                "https://caspian.example/leave", "Peacekeepers leave", STORY + " Updated. Via Steppe Wire.", "Caspian"
            ),
            draft("https://bay.example/ferry", "Ferry crews back at work", OTHER, "Bay Post"),
        ]
    )
    alerts.step()
    alerts.step()  # the overlap window is read again: still nothing new
    assert len(posted) == 1
    assert watches.counts(watch.id).posted == 1

    # Another server's follower waits while this one holds the lease.
    rival: list[Match] = []
    ingestor.ingest([draft("https://steppe.example/ceremony", "Parliament thanks peacekeepers", SECOND)])
    follower(store, watches, embedder, rival).step()
    assert rival == []
    alerts.step()
    assert [m.article.title for m in posted][-1] == "Parliament thanks peacekeepers"


def test_a_channel_over_its_hourly_limit_gets_no_more_alerts_and_the_matches_are_counted(
    archive: tuple[ArchiveStore, Ingestor], tmp_path: Path, embedder: Embedder
) -> None:
    store, ingestor = archive
    watches = WatchStore(tmp_path / "slack.sqlite3")
    watch = watches.add("C1", "kazakhstan peacekeepers", "U1")
    posted: list[Match] = []
    alerts = follower(store, watches, embedder, posted, per_hour=1)
    alerts.step()
    ingestor.ingest(
        [
            draft("https://steppe.example/leave", "CSTO peacekeepers leave Kazakhstan", STORY),
            draft("https://steppe.example/ceremony", "Parliament thanks peacekeepers", SECOND),
        ]
    )
    alerts.step()
    assert len(posted) == 1
    counts = watches.counts(watch.id)
    assert (counts.posted, counts.held) == (1, 1)


class ReadBeforeCommit:
    """The archive as a follower sees it when it reads a change before the write it announces has
    committed (the feed names a write first, so a crash never hides one): the article is not there
    yet at the first look, and is at the next."""

    def __init__(self, store: ArchiveStore):
        self._store = store
        self.looks = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def get_articles(self, ids: Sequence[str]) -> dict[str, Article]:
        self.looks += 1
        return {} if self.looks == 1 else self._store.get_articles(ids)


def test_a_story_whose_write_commits_after_its_change_was_read_alerts_at_the_next_look(
    archive: tuple[ArchiveStore, Ingestor], tmp_path: Path, embedder: Embedder
) -> None:
    store, ingestor = archive
    watches = WatchStore(tmp_path / "slack.sqlite3")
    watches.add("C1", "kazakhstan peacekeepers", "U1")
    posted: list[Match] = []
    late = ReadBeforeCommit(store)
    alerts = follower(cast(ArchiveStore, late), watches, embedder, posted)
    alerts.step()
    ingestor.ingest([draft("https://steppe.example/leave", "CSTO peacekeepers leave Kazakhstan", STORY)])
    alerts.step()  # reads the change, finds the write not committed
    assert (late.looks, posted) == (1, [])
    alerts.step()  # nothing newer in the feed: the overlap window brings the change round again
    assert [m.article.title for m in posted] == ["CSTO peacekeepers leave Kazakhstan"]


def test_a_late_commit_in_a_busy_minute_still_alerts_when_the_re_read_window_spans_pages(
    archive: tuple[ArchiveStore, Ingestor], tmp_path: Path, embedder: Embedder
) -> None:
    store, ingestor = archive
    watches = WatchStore(tmp_path / "slack.sqlite3")
    watches.add("C1", "kazakhstan peacekeepers", "U1")
    posted: list[Match] = []
    late = ReadBeforeCommit(store)
    alerts = follower(cast(ArchiveStore, late), watches, embedder, posted, batch=2)  # a page of 2 changes
    alerts.step()
    ingestor.ingest(
        [
            draft("https://steppe.example/leave", "CSTO peacekeepers leave Kazakhstan", STORY),
            draft("https://bay.example/ferry", "Ferry crews back at work", OTHER, "Bay Post"),
        ]
    )
    alerts.step()  # a full page, its writes not committed at the first look
    assert posted == []
    ingestor.ingest([draft("https://bay.example/ferry-2", "Ferry roster agreed", OTHER + " Agreed.", "Bay Post")])
    alerts.step()  # the window before the position fills a page of its own; the next page has the new change
    assert [m.article.title for m in posted] == ["CSTO peacekeepers leave Kazakhstan"]
