"""The feed subscriptions and their polling state: ``$NEWSDESK_DATA_DIR/feeds.sqlite3``.

One SQLite file (WAL mode, ``ingest.state.sqlite``) shared by every process on the machine:
``newsdesk feeds add`` writes it, every ``newsdesk serve --feeds`` and ``newsdesk feeds run``
polls from it, ``/metrics`` and ``GET /v1/feeds`` read it.

Only one poller polls a feed at a time: a poller *claims* a due feed by writing its name and a
lease expiry into the feed's row inside one ``BEGIN IMMEDIATE`` transaction (SQLite's write lock,
so two processes cannot both see the feed free and take it). Only the lease holder records the
poll's result. A poller that dies holding a lease blocks the feed until the lease expires
(``NEWSDESK_FEED_LEASE_S``), then another takes it. This holds on one machine: SQLite's locks need
a local disk, not a network share.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ingest.feeds.models import Feed
from ingest.readers.safe_fetch import Validators
from ingest.state.sqlite import connect, prepare

__all__ = ["FEED_ID_PATTERN", "FeedError", "FeedState", "feed_id"]

FEED_ID_PATTERN = re.compile(r"^[0-9a-f]{12}$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    source TEXT,
    every_s REAL NOT NULL,
    fetch_pages INTEGER NOT NULL DEFAULT 0,
    added_at REAL NOT NULL,
    next_poll_at REAL NOT NULL,
    last_poll_at REAL,
    last_success_at REAL,
    last_new_article_at REAL,
    last_error TEXT,
    last_error_at REAL,
    consecutive_errors INTEGER NOT NULL DEFAULT 0,
    polls INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    not_modified INTEGER NOT NULL DEFAULT 0,
    new_articles INTEGER NOT NULL DEFAULT 0,
    updated_articles INTEGER NOT NULL DEFAULT 0,
    failed_items INTEGER NOT NULL DEFAULT 0,
    etag TEXT,
    last_modified TEXT,
    lease_owner TEXT,
    lease_until REAL
);
CREATE INDEX IF NOT EXISTS feeds_due ON feeds (next_poll_at);
"""


class FeedError(ValueError):
    """A feed request that cannot be carried out (a bad URL or id); the message says why."""


def feed_id(url: str) -> str:
    """A feed's id: 12 hex characters derived from its URL, so adding the same URL twice finds it."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]


def checked_feed_url(url: str) -> str:
    """``url`` stripped if it is an http(s) URL with a host; ``FeedError`` otherwise.

    Only the form is checked here; the URL-safety rules (private addresses...) apply at every fetch.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError as exc:
        raise FeedError(f"{text[:200]!r} is not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise FeedError(f"a feed is an http or https URL, not {text[:200]!r}")
    return text


def feed_ident(id_or_url: str) -> str:
    """The id of the feed ``id_or_url`` names: an id as given, or the id ``add`` gave that URL."""
    return feed_id(checked_feed_url(id_or_url)) if "://" in id_or_url else id_or_url.strip()


def _feed(row: sqlite3.Row) -> Feed:
    values: dict[str, Any] = dict(row)
    values["fetch_pages"] = bool(values["fetch_pages"])
    return Feed(**values)


class FeedState:
    """The subscriptions file; every method opens its own short-lived connection (any thread, any process)."""

    def __init__(self, path: Path):
        self.path = path
        prepare(path, SCHEMA)

    def add(
        self, url: str, *, every_s: float, now: float, source: str | None = None, fetch_pages: bool = False
    ) -> tuple[Feed, bool]:
        """Subscribe to ``url`` (due at once); for a URL already subscribed, change its interval and source.

        Returns the feed and whether it is new.
        """
        url = checked_feed_url(url)
        ident = feed_id(url)
        with connect(self.path) as db:
            db.execute("BEGIN IMMEDIATE")
            exists = db.execute("SELECT 1 FROM feeds WHERE id = ?", (ident,)).fetchone() is not None
            if exists:
                db.execute(
                    "UPDATE feeds SET every_s = ?, source = ?, fetch_pages = ? WHERE id = ?",
                    (every_s, source, int(fetch_pages), ident),
                )
            else:
                db.execute(
                    "INSERT INTO feeds (id, url, source, every_s, fetch_pages, added_at, next_poll_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (ident, url, source, every_s, int(fetch_pages), now, now),
                )
            db.execute("COMMIT")
        feed = self.get(ident)
        assert feed is not None
        return feed, not exists

    def remove(self, ident: str) -> bool:
        """Unsubscribe; ``False`` if there was no such feed. Articles already stored stay."""
        self._check_id(ident)
        with connect(self.path) as db:
            return db.execute("DELETE FROM feeds WHERE id = ?", (ident,)).rowcount > 0

    def get(self, ident: str) -> Feed | None:
        """One feed, or ``None``."""
        self._check_id(ident)
        with connect(self.path) as db:
            row = db.execute("SELECT * FROM feeds WHERE id = ?", (ident,)).fetchone()
        return _feed(row) if row else None

    def all(self) -> list[Feed]:
        """Every feed, in the order they were added."""
        with connect(self.path) as db:
            rows = db.execute("SELECT * FROM feeds ORDER BY added_at, id").fetchall()
        return [_feed(r) for r in rows]

    def next_due_at(self) -> float | None:
        """When the soonest feed is due (leased ones included), or ``None`` without feeds."""
        with connect(self.path) as db:
            row = db.execute("SELECT MIN(next_poll_at) FROM feeds").fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def claim_due(self, owner: str, *, now: float, lease_s: float) -> Feed | None:
        """Take the lease of the most overdue feed nobody holds, for ``lease_s`` seconds; ``None`` if none is due."""
        with connect(self.path) as db:
            db.execute("BEGIN IMMEDIATE")  # the write lock: no other process claims between our read and write
            try:
                row = db.execute(
                    "SELECT id FROM feeds WHERE next_poll_at <= ? AND (lease_until IS NULL OR lease_until <= ?)"
                    " ORDER BY next_poll_at, id LIMIT 1",
                    (now, now),
                ).fetchone()
                if row is not None:
                    db.execute(
                        "UPDATE feeds SET lease_owner = ?, lease_until = ? WHERE id = ?",
                        (owner, now + lease_s, row["id"]),
                    )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return self.get(row["id"]) if row is not None else None

    def record_success(
        self,
        ident: str,
        owner: str,
        *,
        polled_at: float,
        next_poll_at: float,
        validators: Validators,
        not_modified: bool,
        new_articles: int = 0,
        updated_articles: int = 0,
        failed_items: int = 0,
    ) -> bool:
        """Record a poll that read the feed (or heard 304) and release the lease; ``False`` if the lease was lost."""
        with connect(self.path) as db:
            cursor = db.execute(
                "UPDATE feeds SET polls = polls + 1, not_modified = not_modified + ?, new_articles = new_articles + ?,"
                " updated_articles = updated_articles + ?, failed_items = failed_items + ?,"
                " last_poll_at = ?, last_success_at = ?, consecutive_errors = 0, next_poll_at = ?,"
                " last_new_article_at = CASE WHEN ? > 0 THEN ? ELSE last_new_article_at END,"
                " etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified),"
                " lease_owner = NULL, lease_until = NULL"
                " WHERE id = ? AND lease_owner = ?",
                (
                    int(not_modified),
                    new_articles,
                    updated_articles,
                    failed_items,
                    polled_at,
                    polled_at,
                    next_poll_at,
                    new_articles + updated_articles,
                    polled_at,
                    validators.etag,
                    validators.last_modified,
                    ident,
                    owner,
                ),
            )
            return cursor.rowcount > 0

    def record_error(self, ident: str, owner: str, *, polled_at: float, next_poll_at: float, error: str) -> bool:
        """Record a failed poll and release the lease; ``False`` if the lease was lost."""
        with connect(self.path) as db:
            cursor = db.execute(
                "UPDATE feeds SET polls = polls + 1, errors = errors + 1, consecutive_errors = consecutive_errors + 1,"
                " last_poll_at = ?, last_error = ?, last_error_at = ?, next_poll_at = ?,"
                " lease_owner = NULL, lease_until = NULL"
                " WHERE id = ? AND lease_owner = ?",
                (polled_at, error, polled_at, next_poll_at, ident, owner),
            )
            return cursor.rowcount > 0

    def _check_id(self, ident: str) -> None:
        if not FEED_ID_PATTERN.match(ident):
            raise FeedError(f"{ident[:40]!r} is not a feed id (12 hex characters; see newsdesk feeds list)")
