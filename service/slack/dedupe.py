"""Slack retries an event it did not see acknowledged in 3 seconds (``X-Slack-Retry-Num``), and may
deliver one message as two events; neither may produce a second answer.

Choice: a durable claim table in the bot's SQLite file (``state.py``), not a set in memory. Several
server processes may receive the retry of an event the first one is still answering (uvicorn
workers, a restart between try and retry, ``newsdesk serve`` and ``newsdesk slack`` side by side):
only a store they share can tell them apart. ``INSERT OR IGNORE`` on the key is atomic across
processes: whoever inserts the row first answers, everyone else drops the event.

Keys are ``event:<event_id>`` (one Events API delivery and its retries) and
``message:<channel>:<ts>`` (one Slack message, whichever event brought it). Entries live ``ttl_s``
(a day; Slack stops retrying after about an hour) and at most ``max_entries`` are kept: older ones
are pruned now and then. Processes on *different* machines need a shared data folder to share
this (or a sticky load balancer); that is not done here.

Claims are made when an event arrives, before it is answered: delivery is at most once. A
process that dies mid-answer leaves that question unanswered (Slack's retry is dropped too) rather
than risking two answers; the person can simply ask again.

If the file cannot be used (read-only disk), claims fall back to this process's memory with a
logged error rather than failing every event.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import OrderedDict
from pathlib import Path

from service.state.sqlite import connect, prepare

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS handled_events (
    key TEXT PRIMARY KEY,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS handled_events_at ON handled_events (at);
"""

DEFAULT_TTL_S = 24 * 3600.0
DEFAULT_MAX_ENTRIES = 100_000
PRUNE_EVERY = 200


class EventDeduper:
    """Claims keys once: ``claim(key)`` is True for the first caller (any process), False after."""

    def __init__(self, path: Path, ttl_s: float = DEFAULT_TTL_S, max_entries: int = DEFAULT_MAX_ENTRIES):
        self.path = path
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._claims = 0
        self._lock = threading.Lock()
        self._memory: OrderedDict[str, float] = OrderedDict()
        self.durable = True
        try:
            prepare(path, SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            log.error("slack dedupe: cannot use %s (%s); remembering handled events in memory only", path, exc)
            self.durable = False

    def claim(self, key: str) -> bool:
        """True if nobody claimed ``key`` within the TTL (and now this caller has)."""
        now = time.time()
        if not self.durable:
            return self._claim_in_memory(key, now)
        try:
            with connect(self.path) as db:
                db.execute("DELETE FROM handled_events WHERE key = ? AND at < ?", (key, now - self.ttl_s))
                inserted = (
                    db.execute("INSERT OR IGNORE INTO handled_events (key, at) VALUES (?, ?)", (key, now)).rowcount == 1
                )
                if self._due():
                    self._prune(db, now)
                return inserted
        except sqlite3.Error as exc:
            log.error("slack dedupe: %s failed (%s); using memory for this event", self.path, exc)
            return self._claim_in_memory(key, now)

    def _due(self) -> bool:
        with self._lock:
            self._claims += 1
            return (self._claims - 1) % PRUNE_EVERY == 0

    def _prune(self, db: sqlite3.Connection, now: float) -> None:
        db.execute("DELETE FROM handled_events WHERE at < ?", (now - self.ttl_s,))
        db.execute(
            "DELETE FROM handled_events WHERE key IN "
            "(SELECT key FROM handled_events ORDER BY at DESC LIMIT -1 OFFSET ?)",
            (self.max_entries,),
        )

    def _claim_in_memory(self, key: str, now: float) -> bool:
        with self._lock:
            memory = self._memory
            while memory and (len(memory) >= self.max_entries or next(iter(memory.values())) < now - self.ttl_s):
                memory.popitem(last=False)
            if key in memory:
                return False
            memory[key] = now
            return True
