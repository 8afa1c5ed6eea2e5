"""Watches, the alerts sent for them, and where the alert follower stands: durable, shared by processes.

They live in the bot's own state file (``slack.sqlite3`` in the data folder, WAL mode), beside the
handled events and feedback, so every ``newsdesk serve`` worker and ``newsdesk slack`` on the
machine sees the same watches. Several machines need that folder shared, or one machine running
the alerts (README, "Topic alerts").

Exactly one alert per story and watch: an alert is *claimed* (a row inserted under a unique key)
before it is posted, so two followers, or one follower that crashed and restarted, never post it
twice. The price is at most once: a post that fails after the claim is logged, not retried.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from service.state.sqlite import connect, prepare

SCHEMA = """
CREATE TABLE IF NOT EXISTS watches (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    topic TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS watches_channel ON watches (channel);
CREATE TABLE IF NOT EXISTS watch_alerts (
    watch_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    shingles TEXT NOT NULL,
    at REAL NOT NULL,
    posted INTEGER NOT NULL,
    PRIMARY KEY (watch_id, article_id)
);
CREATE INDEX IF NOT EXISTS watch_alerts_channel_at ON watch_alerts (channel, at);
CREATE INDEX IF NOT EXISTS watch_alerts_watch_at ON watch_alerts (watch_id, at);
CREATE TABLE IF NOT EXISTS watch_follower (
    name TEXT PRIMARY KEY,
    position TEXT,
    holder TEXT,
    lease_until REAL NOT NULL DEFAULT 0
);
"""

_FOLLOWER = "alerts"


class WatchLimit(ValueError):
    """The channel already has as many watches as it may."""


@dataclass(frozen=True)
class Watch:
    """A channel's subscription to a topic."""

    id: str
    channel: str
    topic: str
    created_by: str
    created_at: float


@dataclass(frozen=True)
class AlertCounts:
    """What one watch has brought: alerts posted, and matches held back by the channel's rate limit."""

    posted: int
    held: int


class WatchStore:
    """The watches of this machine (``slack.sqlite3``); every call opens its own connection."""

    def __init__(self, path: Path, max_per_channel: int = 50):
        self.path = path
        self.max_per_channel = max_per_channel
        prepare(path, SCHEMA)

    # ----- watches -----------------------------------------------------------------------

    def add(self, channel: str, topic: str, created_by: str) -> Watch:
        """Subscribe ``channel`` to ``topic`` (the same topic twice gives the existing watch)."""
        with connect(self.path) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                same = db.execute(
                    "SELECT * FROM watches WHERE channel = ? AND lower(topic) = lower(?)", (channel, topic)
                ).fetchone()
                if same is not None:
                    db.execute("COMMIT")
                    return _watch(same)
                (count,) = db.execute("SELECT count(*) FROM watches WHERE channel = ?", (channel,)).fetchone()
                if count >= self.max_per_channel:
                    raise WatchLimit(
                        f"this channel already watches {count} topics, the most it may; remove one with "
                        "`/newsdesk unwatch ID` first"
                    )
                watch = Watch("w" + secrets.token_hex(4), channel, topic, created_by, time.time())
                db.execute(
                    "INSERT INTO watches (id, channel, topic, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                    (watch.id, watch.channel, watch.topic, watch.created_by, watch.created_at),
                )
                db.execute("COMMIT")
                return watch
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def remove(self, watch_id: str, channel: str) -> bool:
        """Unsubscribe; False when ``channel`` has no watch ``watch_id`` (another channel's is not yours)."""
        with connect(self.path) as db:
            removed = db.execute("DELETE FROM watches WHERE id = ? AND channel = ?", (watch_id, channel)).rowcount
        return removed == 1

    def in_channel(self, channel: str) -> list[Watch]:
        """The channel's watches, oldest first."""
        with connect(self.path) as db:
            rows = db.execute("SELECT * FROM watches WHERE channel = ? ORDER BY created_at", (channel,)).fetchall()
        return [_watch(r) for r in rows]

    def all(self) -> list[Watch]:
        """Every watch of every channel."""
        with connect(self.path) as db:
            rows = db.execute("SELECT * FROM watches ORDER BY created_at").fetchall()
        return [_watch(r) for r in rows]

    def counts(self, watch_id: str) -> AlertCounts:
        """How many alerts ``watch_id`` posted and how many matches the rate limit held back."""
        with connect(self.path) as db:
            row = db.execute(
                "SELECT coalesce(sum(posted), 0), coalesce(sum(1 - posted), 0) FROM watch_alerts WHERE watch_id = ?",
                (watch_id,),
            ).fetchone()
        return AlertCounts(posted=int(row[0]), held=int(row[1]))

    # ----- alerts ------------------------------------------------------------------------

    def recent_shingles(self, watch_id: str, since: float) -> list[str]:
        """The shingle sets (as stored text) of stories alerted for ``watch_id`` since ``since``."""
        with connect(self.path) as db:
            rows = db.execute(
                "SELECT shingles FROM watch_alerts WHERE watch_id = ? AND at >= ?", (watch_id, since)
            ).fetchall()
        return [r[0] for r in rows]

    def claim(self, watch: Watch, article_id: str, shingles: str, per_hour: int) -> bool | None:
        """Claim the alert for ``article_id`` on ``watch``.

        True: post it. False: the channel's rate limit (``per_hour`` in the last hour) holds it back;
        it is remembered as held. None: it was claimed before (by any process), so say nothing.
        """
        now = time.time()
        with connect(self.path) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                if db.execute(
                    "SELECT 1 FROM watch_alerts WHERE watch_id = ? AND article_id = ?", (watch.id, article_id)
                ).fetchone():
                    db.execute("COMMIT")
                    return None
                (recent,) = db.execute(
                    "SELECT count(*) FROM watch_alerts WHERE channel = ? AND posted = 1 AND at >= ?",
                    (watch.channel, now - 3600.0),
                ).fetchone()
                post = recent < per_hour
                db.execute(
                    "INSERT INTO watch_alerts (watch_id, article_id, channel, shingles, at, posted) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (watch.id, article_id, watch.channel, shingles, now, int(post)),
                )
                db.execute("COMMIT")
                return post
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def prune(self, older_than_s: float) -> None:
        """Forget alerts (and so their duplicate checks) older than ``older_than_s``."""
        with connect(self.path) as db:
            db.execute("DELETE FROM watch_alerts WHERE at < ?", (time.time() - older_than_s,))

    # ----- the follower's place in the change feed -----------------------------------------

    def take_lease(self, holder: str, lease_s: float) -> bool:
        """True if ``holder`` now runs the alerts (the lease was free, expired or already its own)."""
        now = time.time()
        with connect(self.path) as db:
            db.execute("INSERT OR IGNORE INTO watch_follower (name, lease_until) VALUES (?, 0)", (_FOLLOWER,))
            taken = db.execute(
                "UPDATE watch_follower SET holder = ?, lease_until = ? "
                "WHERE name = ? AND (holder IS NULL OR holder = ? OR lease_until < ?)",
                (holder, now + lease_s, _FOLLOWER, holder, now),
            ).rowcount
        return taken == 1

    def release_lease(self, holder: str) -> None:
        """Let another process take the alerts at once."""
        with connect(self.path) as db:
            db.execute("UPDATE watch_follower SET lease_until = 0 WHERE name = ? AND holder = ?", (_FOLLOWER, holder))

    def position(self) -> str | None:
        """Where in the store's change feed alerts were last checked (None: never)."""
        with connect(self.path) as db:
            row = db.execute("SELECT position FROM watch_follower WHERE name = ?", (_FOLLOWER,)).fetchone()
        return row[0] if row else None

    def advance(self, holder: str, position: str) -> bool:
        """Record ``position`` as checked; False when ``holder`` no longer holds the lease."""
        with connect(self.path) as db:
            moved = db.execute(
                "UPDATE watch_follower SET position = ? WHERE name = ? AND holder = ?", (position, _FOLLOWER, holder)
            ).rowcount
        return moved == 1


def _watch(row: sqlite3.Row) -> Watch:
    return Watch(row["id"], row["channel"], row["topic"], row["created_by"], row["created_at"])
