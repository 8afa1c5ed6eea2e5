"""Per-feed Prometheus metrics, read from the feed state file at each scrape.

The counts live in ``feeds.sqlite3`` (``ingest.feeds.state``), shared by every poller on the
machine, so every server shows the same figures whichever process polled: a counter is the
machine's total for that feed, not this process's share.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from ingest.feeds import Feed, FeedState

log = logging.getLogger(__name__)

_LABELS = ["feed", "url"]


class FeedMetrics(Collector):
    """``newsdesk_feed_*`` series, one per feed: polls, errors, 304s, articles, last success, next poll."""

    def __init__(self, path: Path, state: Callable[[], FeedState]):
        self.path = path
        self.state = state

    def collect(self) -> Iterator[Metric]:
        """The series of every feed (none before the first feed is added)."""
        feeds: list[Feed] = []
        if self.path.exists():  # a server without feeds never creates the file
            try:
                feeds = self.state().all()
            except sqlite3.Error as exc:
                log.warning("feed metrics unavailable: %s", exc)
        counters = {
            "polls": CounterMetricFamily("newsdesk_feed_polls", "Polls of each feed (any outcome).", labels=_LABELS),
            "errors": CounterMetricFamily(
                "newsdesk_feed_errors", "Polls that failed (fetch, read or store).", labels=_LABELS
            ),
            "not_modified": CounterMetricFamily(
                "newsdesk_feed_not_modified", "Polls answered 304 Not Modified.", labels=_LABELS
            ),
            "new_articles": CounterMetricFamily(
                "newsdesk_feed_new_articles", "Articles new to the archive, stored from each feed.", labels=_LABELS
            ),
            "updated_articles": CounterMetricFamily(
                "newsdesk_feed_updated_articles", "Stored articles whose text a feed changed.", labels=_LABELS
            ),
            "failed_items": CounterMetricFamily(
                "newsdesk_feed_failed_items", "Feed entries that failed alone (malformed).", labels=_LABELS
            ),
        }
        gauges = {
            "last_success_at": GaugeMetricFamily(
                "newsdesk_feed_last_success_timestamp_seconds", "When a poll last succeeded (epoch).", labels=_LABELS
            ),
            "last_poll_at": GaugeMetricFamily(
                "newsdesk_feed_last_poll_timestamp_seconds", "When the feed was last polled (epoch).", labels=_LABELS
            ),
            "last_new_article_at": GaugeMetricFamily(
                "newsdesk_feed_last_new_article_timestamp_seconds",
                "When a poll last stored a new or changed article (epoch).",
                labels=_LABELS,
            ),
            "next_poll_at": GaugeMetricFamily(
                "newsdesk_feed_next_poll_timestamp_seconds", "When the feed is polled next (epoch).", labels=_LABELS
            ),
            "consecutive_errors": GaugeMetricFamily(
                "newsdesk_feed_consecutive_errors", "Failed polls in a row (0 after a success).", labels=_LABELS
            ),
        }
        for feed in feeds:
            labels = [feed.id, feed.url]
            for field, family in counters.items():
                family.add_metric(labels, float(getattr(feed, field)))
            for field, gauge in gauges.items():
                value = getattr(feed, field)
                if value is not None:
                    gauge.add_metric(labels, float(value))
        yield from counters.values()
        yield from gauges.values()
