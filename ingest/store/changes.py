"""The change feed: every write to the archive, in a Chroma collection beside the articles.

Each write of an article (created, updated, deleted, swept as an orphan) appends one *change*:
``(position, article_id, content_hash)``, ``content_hash`` being ``None`` for a removal. Derived
indexes kept per server (the lexical index) and followers such as topic alerts read the
changes after the position they last applied, instead of re-reading the archive.

Positions are the writer's clock in microseconds since the epoch, so several writers (servers
sharing one Chroma, ``newsdesk ingest`` beside them) need no shared counter. The price: a
change stamped at ``p`` by a slow writer may land after a reader has already read past ``p``.
Readers therefore re-read an overlap window (``OVERLAP_S`` before the last position they saw)
and apply changes idempotently: a change says *which* article to look at again, and the
article's record in the store says what is true now. Changes are appended *before* the write
they announce commits, so a crash never leaves a committed write the feed does not name; a
change whose write never committed only makes a reader look at the article again and find it
as it was.

The feed is trimmed to ``retention_s`` (a week by default) by the writers themselves, at most
once an hour per process; the trimmed horizon is recorded (``floor``). A reader whose last
applied position is below the floor has missed changes and must repair from the store itself
(``newsdesk reindex`` does that; a server does it on its own, in the background).
"""

from __future__ import annotations

import bisect
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import chromadb
from chromadb.api.types import PyEmbeddings, Where

log = logging.getLogger(__name__)

# Readers re-read this many seconds before the last position they applied: a writer's change
# may commit this late after its stamp (clock skew between machines included) and still be seen.
OVERLAP_S = 60.0

# Writers trim the feed at most this often.
_TRIM_EVERY_S = 3600.0

# Records one read or add handles: under the 32,766 records a read of Chroma's embedded store
# can return with their metadata, and under its batch size for an add (5,461).
_READ_BATCH = 5000

_FLOOR_ID = "changes-floor"
_PLACEHOLDER: PyEmbeddings = [[0.0]]  # Chroma wants a vector per record; nothing searches this collection


@dataclass(frozen=True)
class Change:
    """One write to the archive: the article it touched and its content hash after (None: removed)."""

    position: int
    article_id: str
    content_hash: str | None


def now_position() -> int:
    """The feed position of a change made now (microseconds since the epoch)."""
    return time.time_ns() // 1000


def seconds_to_positions(seconds: float) -> int:
    """How many positions ``seconds`` of wall-clock time span."""
    return int(seconds * 1_000_000)


class ChangeFeed:
    """The ``{prefix}-changes`` collection: append, read in position order, trim."""

    def __init__(self, client: chromadb.ClientAPI, prefix: str, meta: Any, retention_s: float):
        self._changes = client.get_or_create_collection(f"{prefix}-changes", embedding_function=None)
        self._meta = meta  # the store's meta collection, which also keeps the trimmed horizon
        self.retention_s = retention_s
        self._trimmed_at = 0.0

    def append(self, touched: Sequence[tuple[str, str | None]]) -> None:
        """Record that these ``(article_id, content_hash or None)`` are about to be written."""
        if not touched:
            return
        position = now_position()
        ids = [f"{_id_prefix(position)}-{uuid.uuid4().hex[:12]}" for _ in touched]
        metas: list[Any] = []
        for article_id, content_hash in touched:
            meta: dict[str, Any] = {"position": position, "article_id": article_id}
            if content_hash is not None:
                meta["content_hash"] = content_hash
            metas.append(meta)
        for at in range(0, len(ids), _READ_BATCH):  # Chroma refuses an add beyond its batch size
            batch = slice(at, at + _READ_BATCH)
            self._changes.add(ids=ids[batch], embeddings=_PLACEHOLDER * len(ids[batch]), metadatas=metas[batch])
        self._trim_now_and_then()

    def since(self, position: int, limit: int) -> tuple[list[Change], int]:
        """Changes after ``position`` in position order, at most about ``limit``, and the position to ask from next.

        Changes sharing the last position returned all come in this page (a page never ends
        between them), so the page may exceed ``limit`` by the few that do. With no changes the
        next position is ``position`` itself.
        """
        # Chroma returns records in insertion order, not by position, and its embedded store fails
        # a read of more than 32,766 records with their metadata ("too many SQL variables"): a
        # reader a day behind a busy newsroom asks for more. Ids alone come back in any number,
        # and each begins with its position, so the page is cut from the sorted ids and only its
        # records are read, a batch at a time.
        found = self._changes.get(where=_where({"position": {"$gt": int(position)}}), include=[])
        ids = sorted(found["ids"])
        if len(ids) > limit:
            ids = ids[: bisect.bisect_right(ids, _id_prefix(_position_of(ids[limit - 1])) + "~")]
        changes: list[Change] = []
        for at in range(0, len(ids), _READ_BATCH):
            got = self._changes.get(ids=ids[at : at + _READ_BATCH], include=["metadatas"])
            for meta in got["metadatas"] or []:
                m: dict[str, Any] = dict(meta or {})
                changes.append(Change(int(m["position"]), str(m["article_id"]), m.get("content_hash") or None))
        changes.sort(key=lambda c: (c.position, c.article_id))
        return changes, (changes[-1].position if changes else int(position))

    def floor(self) -> int:
        """Changes at or before this position were trimmed away (0: none ever were)."""
        got = self._meta.get(ids=[_FLOOR_ID], include=["metadatas"])
        metas = got["metadatas"] or []
        return int(dict(metas[0] or {}).get("value", 0)) if got["ids"] else 0

    def trim(self, before: int) -> None:
        """Drop changes at or before position ``before`` and record that horizon."""
        # The floor is raised first: a reader that sees the new floor repairs, so a reader
        # racing the delete never mistakes a half-trimmed feed for a complete one.
        self._meta.upsert(ids=[_FLOOR_ID], embeddings=_PLACEHOLDER, metadatas=[{"value": int(before)}])
        self._changes.delete(where=_where({"position": {"$lte": int(before)}}))

    def _trim_now_and_then(self) -> None:
        now = time.monotonic()
        if now - self._trimmed_at < _TRIM_EVERY_S:
            return
        self._trimmed_at = now
        try:
            self.trim(now_position() - seconds_to_positions(self.retention_s))
        except Exception as exc:  # noqa: BLE001 - trimming is housekeeping; the next write tries again
            log.warning("change feed: trimming failed (%s); will retry", exc)
            self._trimmed_at = 0.0


def _id_prefix(position: int) -> str:
    """How a change's id begins: its position, zero-padded so that ids sort in position order."""
    return f"{position:017d}"


def _position_of(change_id: str) -> int:
    return int(change_id.partition("-")[0])


def _where(where: dict[str, Any]) -> Where:
    return cast(Where, where)
