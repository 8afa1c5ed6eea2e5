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
from service.runtime import Runtime

log = logging.getLogger(__name__)


def start_feed_polling(
    runtime: Runtime, write_lock: threading.Lock, on_polls: Callable[[list[FeedPoll]], None] | None = None
) -> Callable[[float], None]:
    """Start polling feeds on a daemon thread; returns ``stop(timeout_s)``, which ends it.

    ``on_polls`` gets each round's polls, with the articles they stored.
    """
    poller = runtime.feed_poller(write_lock=write_lock)
    stop_event = threading.Event()
    thread = threading.Thread(target=poller.run, args=(stop_event, on_polls), daemon=True, name="feed-poller")
    thread.start()
    log.info("polling feeds as %s", poller.name)

    def stop(timeout_s: float) -> None:
        stop_event.set()
        thread.join(timeout_s)
        if thread.is_alive():
            # A poll mid-fetch or mid-ingest; its lease expires and another poller retakes the feed.
            log.warning("the feed poller is still busy after %gs; leaving it", timeout_s)

    return stop
