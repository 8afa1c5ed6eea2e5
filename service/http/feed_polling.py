"""``newsdesk serve --feeds``: the feed poller on a background thread of the server process.

The thread does its own blocking work (fetching, reading, embedding) and shares nothing with the
event loop, so requests never wait for a poll; it stores under the app's ingest lock, so a poll and
an HTTP write never write at once. Other servers and ``newsdesk feeds run`` on the machine may
poll too: each feed's lease (``ingest.feeds.state``) keeps them from polling the same feed at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from ingest.feeds import FeedPoll
from service.background import BackgroundThread, start_background
from service.runtime import Runtime

log = logging.getLogger(__name__)


def start_feed_polling(
    runtime: Runtime, write_lock: threading.Lock, on_polls: Callable[[list[FeedPoll]], None] | None = None
) -> BackgroundThread:
    """Start polling feeds on a daemon thread, until it is stopped.

    ``on_polls`` gets each round's polls, with the articles they stored. A poll still mid-fetch or
    mid-ingest when the thread is stopped is left: its lease expires and another poller retakes the feed.
    """
    poller = runtime.feed_poller(write_lock=write_lock)
    thread = start_background(lambda stop: poller.run(stop, on_polls), "feed-poller")
    log.info("polling feeds as %s", poller.name)
    return thread
