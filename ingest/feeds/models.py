"""A feed subscription with its polling state, and what one poll of it did."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from ingest.models import IngestOutcome


def utc(epoch: float | None) -> datetime | None:
    """A stored epoch time as an aware UTC datetime (``None`` stays ``None``)."""
    return datetime.fromtimestamp(epoch, tz=UTC) if epoch is not None else None


class FeedRecord(BaseModel):
    """A feed as ``newsdesk feeds list --json``, ``newsdesk stats`` and ``GET /v1/feeds`` show it (times ISO 8601)."""

    id: str
    url: str
    source: str | None
    every_s: float
    fetch_pages: bool
    added_at: datetime
    last_poll_at: datetime | None
    last_success_at: datetime | None
    last_new_article_at: datetime | None = Field(description="When a poll last stored a new or changed article.")
    last_error: str | None = Field(description="The last failed poll's reason (kept after later successes).")
    last_error_at: datetime | None
    consecutive_errors: int = Field(description="Failed polls in a row; 0 once a poll succeeds.")
    next_poll_at: datetime
    polling_now: bool = Field(description="A poller holds the feed's lease right now.")
    polls: int
    errors: int
    not_modified: int = Field(description="Polls answered 304 Not Modified.")
    new_articles: int
    updated_articles: int
    failed_items: int = Field(description="Entries that failed alone (malformed), over all polls.")


class Feed(BaseModel):
    """One subscribed feed: what to poll and how often, and what its polls did so far.

    Times are epoch seconds (what SQLite stores; comparable across processes); ``record`` shows them
    as ISO 8601. ``etag`` and ``last_modified`` are the validators of the last copy read.
    """

    id: str
    url: str
    source: str | None = None
    every_s: float
    fetch_pages: bool = False
    added_at: float
    next_poll_at: float
    last_poll_at: float | None = None
    last_success_at: float | None = None
    last_new_article_at: float | None = None
    last_error: str | None = None
    last_error_at: float | None = None
    consecutive_errors: int = 0
    polls: int = 0
    errors: int = 0
    not_modified: int = 0
    new_articles: int = 0
    updated_articles: int = 0
    failed_items: int = 0
    etag: str | None = None
    last_modified: str | None = None
    lease_owner: str | None = None
    lease_until: float | None = None

    def record(self, now: float) -> FeedRecord:
        """What people and clients are shown of the feed (``now`` tells whether its lease is held)."""
        fields = {name: getattr(self, name) for name in FeedRecord.model_fields if name != "polling_now"}
        return FeedRecord(**fields, polling_now=self.lease_until is not None and self.lease_until > now)


PollStatus = Literal["stored", "not_modified", "error"]


class FeedPoll(BaseModel):
    """What one poll of one feed did.

    ``status``: ``stored`` (the feed was read and its entries went through the ingest pipeline),
    ``not_modified`` (the server answered 304), or ``error`` (fetching or reading the feed failed,
    or the store was unavailable; ``error`` says why and nothing of the feed was stored).
    ``stored``: the articles this poll created or updated, for whatever wants to act on new
    articles; ``unchanged`` counts entries already stored; ``failures`` are the entries that
    failed alone, each with its reason.
    """

    feed_id: str
    url: str
    status: PollStatus
    stored: list[IngestOutcome] = Field(default_factory=list)
    unchanged: int = 0
    failures: list[IngestOutcome] = Field(default_factory=list)
    error: str | None = None
    polled_at: float
    seconds: float = 0.0
    next_poll_at: float

    @property
    def created(self) -> list[IngestOutcome]:
        """The articles that are new to the archive."""
        return [o for o in self.stored if o.status == "created"]

    def record(self) -> dict[str, Any]:
        """The poll as ``newsdesk feeds run --json`` prints it."""
        return {
            "feed_id": self.feed_id,
            "url": self.url,
            "status": self.status,
            "new": len(self.created),
            "updated": len(self.stored) - len(self.created),
            "unchanged": self.unchanged,
            "failed": len(self.failures),
            "stored": [o.model_dump(exclude_none=True) for o in self.stored],
            "failures": [o.model_dump(exclude_none=True) for o in self.failures],
            "error": self.error,
            "polled_at": utc(self.polled_at).isoformat(),  # type: ignore[union-attr]
            "seconds": round(self.seconds, 3),
            "next_poll_at": utc(self.next_poll_at).isoformat(),  # type: ignore[union-attr]
        }
