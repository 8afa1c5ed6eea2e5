"""Polling feeds: a conditional GET, the feed reader, the ingest pipeline; and the loop that keeps at it.

A poll never raises for a bad feed: a refused, failed, slow (``fetch_timeout_s``), oversized
(``fetch_max_bytes``) or unreadable feed is recorded as that feed's error and it backs off
(``schedule.backoff_delay``), while the other feeds poll on. Entries go through the ``Ingestor``
as any other input does, so an entry already stored is unchanged (never a duplicate) and a
malformed entry fails alone with its reason while the others are stored.

The feed's validators (ETag, Last-Modified) are saved only once its entries are stored: if the
store fails midway, the next poll fetches the whole feed again instead of hearing 304, so nothing
the feed carried is lost.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from ingest.feeds.models import Feed, FeedPoll
from ingest.feeds.schedule import backoff_delay
from ingest.feeds.state import FeedState
from ingest.models import ArticleDraft, IngestSummary, ReadFailure, ReadItem
from ingest.pipeline import Ingestor
from ingest.readers.feeds import read_feed
from ingest.readers.protocol import ReadRequest
from ingest.readers.safe_fetch import FetchError, Validators, fetch_url
from ingest.settings import IngestSettings
from ingest.store import StoreError

__all__ = ["FeedPoller", "poller_name"]

log = logging.getLogger(__name__)

Clock = Callable[[], float]


def poller_name() -> str:
    """A name for this poller unique on the machine and readable in the state file: host, PID, random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class FeedPoller:
    """Polls the due feeds of a ``FeedState``, one at a time, each under its lease.

    ``ingestor`` is called on the first poll that has entries to store, so a poller with nothing
    due never loads the model. ``write_lock`` is held while entries are stored (a server passes the
    lock its HTTP writes take, so the two never write at once).
    """

    def __init__(
        self,
        settings: IngestSettings,
        state: FeedState,
        ingestor: Callable[[], Ingestor],
        *,
        name: str | None = None,
        write_lock: AbstractContextManager[Any] | None = None,
        clock: Clock = time.time,
    ):
        self.settings = settings
        self.state = state
        self._ingestor = ingestor
        self.name = name or poller_name()
        self._write_lock = write_lock if write_lock is not None else nullcontext()
        self._clock = clock

    def poll_due(self, stop: threading.Event | None = None) -> list[FeedPoll]:
        """Poll every feed that is due now and no other poller holds; the polls, in the order done."""
        polls: list[FeedPoll] = []
        while stop is None or not stop.is_set():
            feed = self.state.claim_due(self.name, now=self._clock(), lease_s=self.settings.feed_lease_s)
            if feed is None:
                break
            polls.append(self.poll(feed))
        return polls

    def run(self, stop: threading.Event, on_polls: Callable[[list[FeedPoll]], None] | None = None) -> None:
        """Poll due feeds until ``stop`` is set, waking when the next feed is due or every ``feed_check_s``.

        ``on_polls`` receives each round's polls (the articles they stored included). The loop
        outlives any error: a failure of the state file itself is logged and retried next round.
        """
        while not stop.is_set():
            try:
                polls = self.poll_due(stop)
                if polls and on_polls is not None:
                    on_polls(polls)
                due = self.state.next_due_at()
            except Exception:  # noqa: BLE001 - the poller must keep running; the cause goes to the log
                log.exception("feed poller round failed; retrying in %gs", self.settings.feed_check_s)
                due = None
            wait = self.settings.feed_check_s
            if due is not None:
                wait = min(wait, max(due - self._clock(), 0.05))
            stop.wait(wait)

    def poll(self, feed: Feed) -> FeedPoll:
        """Poll one feed this poller holds the lease of, record the result, and release the lease."""
        started = self._clock()
        try:
            return self._poll(feed, started)
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the other feeds; it is recorded and logged
            log.exception("polling feed %s (%s) failed", feed.id, feed.url)
            return self._error(feed, started, f"internal error: {type(exc).__name__}: {exc}")

    def _poll(self, feed: Feed, started: float) -> FeedPoll:
        try:
            page = fetch_url(
                feed.url, self.settings, validators=Validators(etag=feed.etag, last_modified=feed.last_modified)
            )
        except FetchError as exc:
            return self._error(feed, started, exc.reason)
        next_poll_at = started + feed.every_s
        if page.not_modified:
            self._record_success(feed, started, next_poll_at, page.validators, not_modified=True)
            return FeedPoll(
                feed_id=feed.id,
                url=feed.url,
                status="not_modified",
                polled_at=started,
                seconds=self._clock() - started,
                next_poll_at=next_poll_at,
            )
        request = ReadRequest(
            page.data, feed.url, self.settings, url=page.url_final, charset=page.charset, fetch=feed.fetch_pages
        )
        items = [self._with_source(item, feed) for item in read_feed(request)]
        whole_feed_failed = [i for i in items if isinstance(i, ReadFailure) and i.origin == feed.url]
        if whole_feed_failed:
            return self._error(feed, started, whole_feed_failed[0].reason)
        try:
            summary = IngestSummary()
            if items:  # an empty feed loads no model
                ingestor = self._ingestor()
                with self._write_lock:
                    ingestor.ingest(items, summary=summary)
        except StoreError as exc:
            # Validators are not saved: the next poll reads the whole feed again.
            return self._error(feed, started, f"the archive is unavailable: {exc}")
        stored = [o for o in summary.items if o.status in ("created", "updated")]
        for failure in summary.failures:
            log.warning("feed %s: entry %s failed: %s", feed.id, failure.origin, failure.reason)
        self._record_success(
            feed,
            started,
            next_poll_at,
            page.validators,
            not_modified=False,
            new_articles=summary.new,
            updated_articles=summary.updated,
            failed_items=summary.failed,
        )
        return FeedPoll(
            feed_id=feed.id,
            url=feed.url,
            status="stored",
            stored=stored,
            unchanged=summary.unchanged,
            failures=list(summary.failures),
            polled_at=started,
            seconds=self._clock() - started,
            next_poll_at=next_poll_at,
        )

    @staticmethod
    def _with_source(item: ReadItem, feed: Feed) -> ReadItem:
        if feed.source and isinstance(item, ArticleDraft):
            return item.model_copy(update={"source": feed.source})
        return item

    def _record_success(
        self, feed: Feed, started: float, next_poll_at: float, validators: Validators, **counts: Any
    ) -> None:
        if not self.state.record_success(
            feed.id, self.name, polled_at=started, next_poll_at=next_poll_at, validators=validators, **counts
        ):
            log.warning("feed %s: the lease ran out before the poll ended; its result was not recorded", feed.id)

    def _error(self, feed: Feed, started: float, reason: str) -> FeedPoll:
        delay = backoff_delay(feed.every_s, feed.consecutive_errors + 1, self.settings.feed_backoff_cap_s)
        next_poll_at = started + delay
        log.warning("feed %s (%s) failed: %s; next try in %gs", feed.id, feed.url, reason, delay)
        if not self.state.record_error(feed.id, self.name, polled_at=started, next_poll_at=next_poll_at, error=reason):
            log.warning("feed %s: the lease ran out before the poll ended; its error was not recorded", feed.id)
        return FeedPoll(
            feed_id=feed.id,
            url=feed.url,
            status="error",
            error=reason,
            polled_at=started,
            seconds=self._clock() - started,
            next_poll_at=next_poll_at,
        )
