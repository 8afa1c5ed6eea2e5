"""The alert follower: reads the store's change feed and alerts each watching channel to new matching stories.

It runs beside the Slack bot (``newsdesk serve`` with Slack configured, or ``newsdesk slack``), in a
background thread. Every ``poll_s`` it:

1. takes the alerts lease (one follower at a time on the machine, however many servers run;
   another takes over when a holder stops renewing it);
2. reads the changes since its recorded position (``ArchiveStore.changes_since``), so articles
   stored by any process, ``newsdesk ingest``, a feed poll or ``POST /v1/articles``, are seen once;
3. scores the stored articles against every watch (``matching.py``) and, for each match, claims
   the alert (``store.py``: one per story and watch, a rate limit per channel) and posts it;
4. records the new position.

A follower that starts with no position starts now: watches alert on what is stored from then on,
never on the archive's past (nor on what was stored while it had fallen behind the trimmed feed).
A story republished by another outlet (its text's shingles overlap an alerted story's by
``duplicate_jaccard``) does not alert the same watch again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ingest.store import ArchiveStore, StoreError
from ingest.store.changes import OVERLAP_S, Change, now_position, seconds_to_positions
from service.background import BackgroundThread, start_background
from service.retrieval.near_duplicates import Shingles, jaccard, shingles
from service.watches.matching import Match, TopicMatcher
from service.watches.store import WatchStore

log = logging.getLogger(__name__)

# Shingles of an alerted story's opening are enough to know a copy of it again.
_SHINGLED_WORDS = 400

PostAlert = Callable[[Match], bool]


@dataclass(frozen=True)
class FollowerConfig:
    """How often and how much the follower reads, and its limits."""

    poll_s: float = 5.0
    lease_s: float = 60.0
    batch: int = 200
    alerts_per_hour: int = 6
    duplicate_jaccard: float = 0.5
    duplicate_days: float = 7.0


@dataclass
class StepResult:
    """What one step did: changes read, alerts posted, matches held back by the rate limit."""

    changes: int = 0
    posted: int = 0
    held: int = 0


class AlertFollower:
    """Follows the change feed and posts alerts through ``post`` (which says whether it went out)."""

    def __init__(
        self,
        store: ArchiveStore,
        watches: WatchStore,
        matcher: TopicMatcher,
        post: PostAlert,
        config: FollowerConfig | None = None,
    ):
        self.store = store
        self.watches = watches
        self.matcher = matcher
        self.post = post
        self.config = config or FollowerConfig()
        self.holder = f"{os.getpid()}-{id(self):x}"
        self._overlap = seconds_to_positions(OVERLAP_S)
        # (article id, content hash) already matched, by feed position: the overlap re-reads them.
        self._seen: dict[tuple[str, str | None], int] = {}
        self._began: int | None = None  # where this process began reading: nothing before it is its business

    def start(self) -> BackgroundThread:
        """Follow in a daemon thread until the returned thread is stopped."""
        return start_background(self.run, "watch-alerts")

    def run(self, stop: threading.Event) -> None:
        """Step every ``poll_s`` until ``stop``; failures are logged and retried at the next step."""
        while not stop.is_set():
            try:
                while self.step().changes >= self.config.batch and not stop.is_set():
                    pass  # behind: read the next batch at once
            except StoreError as exc:
                log.warning("watch alerts: the archive is unavailable (%s); retrying soon", exc)
            except Exception:  # noqa: BLE001 - a follower that dies silently would stop all alerts
                log.exception("watch alerts: a step failed; retrying in %.0f s", self.config.poll_s)
            stop.wait(self.config.poll_s)
        self.watches.release_lease(self.holder)

    def step(self) -> StepResult:
        """Read the next changes and alert on them (nothing when another process holds the lease)."""
        result = StepResult()
        if not self.watches.take_lease(self.holder, self.config.lease_s):
            return result
        stored = self.watches.position()
        if stored is None or int(stored) < self.store.changes_floor():
            if stored is not None:
                log.warning("watch alerts: fell behind the trimmed change feed; alerting from now on")
            self.watches.advance(self.holder, str(now_position()))
            self._began = None
            return result
        position = int(stored)
        # Re-read the overlap window: a change may commit up to OVERLAP_S after its stamp. What this
        # process matched is remembered (and claims are unique), so nothing alerts twice; a process
        # that just took over knows nothing of the window, so it starts at the position itself.
        if self._began is None:
            self._began = position
        changes, after = self._read_from(max(self._began, position - self._overlap), position)
        result.changes = sum(1 for c in changes if c.position > position)
        fresh = [c for c in changes if c.content_hash is not None and (c.article_id, c.content_hash) not in self._seen]
        # A change is announced before its write commits: only the versions now stored are read;
        # the others come round again with the overlap window (or never committed).
        named = {(c.article_id, c.content_hash) for c in fresh}
        in_order = list(dict.fromkeys(c.article_id for c in fresh))  # alerts go out in the order stories were stored
        articles = self.store.get_articles(in_order) if fresh else {}
        current = [a for a in (articles.get(i) for i in in_order) if a is not None and (a.id, a.content_hash) in named]
        watches = self.watches.all() if current else []
        for match in self.matcher.matches(watches, current):
            verdict = self._alert(match)
            result.posted += verdict == "posted"
            result.held += verdict == "held"
        at = {(c.article_id, c.content_hash): c.position for c in fresh}
        for article in current:
            self._seen[(article.id, article.content_hash)] = at[(article.id, article.content_hash)]
        after = max(after, position)
        self._seen = {key: at for key, at in self._seen.items() if at > after - self._overlap}
        if after != position:
            self.watches.advance(self.holder, str(after))
        return result

    def _read_from(self, start: int, position: int) -> tuple[list[Change], int]:
        """The changes after ``start``: all of the overlap window up to ``position``, page by page, and
        then one page of new ones; and the position the last page ends at.

        The whole window is read, however busy it was (a bulk ingest fills it with hundreds): a
        change read before its write committed is only found again here.
        """
        changes: list[Change] = []
        while True:
            page, after = self.store.changes_since(start, self.config.batch)
            changes.extend(page)
            if after > position or len(page) < self.config.batch:
                return changes, after
            start = after  # a page never ends between changes of one position

    def _alert(self, match: Match) -> str:
        cfg = self.config
        mine = _digests(shingles(" ".join(match.article.text.split()[:_SHINGLED_WORDS])))
        since = time.time() - cfg.duplicate_days * 86400
        for stored in self.watches.recent_shingles(match.watch.id, since):
            if jaccard(mine, _unpack(stored)) >= cfg.duplicate_jaccard:
                log.info("watch %s: %s is a copy of a story already alerted", match.watch.id, match.article.id)
                return "copy"
        claimed = self.watches.claim(match.watch, match.article.id, _pack(mine), cfg.alerts_per_hour)
        if claimed is None:
            return "seen"
        if not claimed:
            log.info(
                "watch %s: %s held back, %s had %d alerts in the last hour",
                match.watch.id,
                match.article.id,
                match.watch.channel,
                cfg.alerts_per_hour,
            )
            return "held"
        if not self.post(match):
            log.error("watch %s: the alert for %s could not be posted", match.watch.id, match.article.id)
            return "failed"
        return "posted"


def _digests(shingle_set: Shingles) -> Shingles:
    # Kept as short digests: the words themselves would make every alert row kilobytes long.
    return {(hashlib.blake2b(" ".join(s).encode(), digest_size=8).hexdigest(),) for s in shingle_set}


def _pack(digests: Shingles) -> str:
    return " ".join(sorted(d for (d,) in digests))


def _unpack(stored: str) -> Shingles:
    return {(digest,) for digest in stored.split()}
