"""Keeping a lexical index in step with the store: the change feed, and repair from the store.

Three ways an index learns of writes:

1. **This process's writes**: the store tells the index right after each commit
   (``LexicalIndex`` is the store's ``ChangeListener``), so ``POST /v1/articles`` or
   ``newsdesk ingest`` into the same data folder is searchable at once.
2. **Everyone's writes, from the feed**: ``catch_up`` reads the store's changes after the
   position this index last applied, minus ``OVERLAP_S`` (a change may land late: see
   ``ingest.store.changes``), and brings each named article up to date from the store (its
   record's hash against the index's; committed chunks only). A server runs this every
   ``NEWSDESK_LEXICAL_REFRESH_S`` in a background thread (``follow``). Applying is idempotent:
   an article already at the store's hash costs one hash comparison.
3. **Repair** (``repair``): compare every stored article's hash with the index's and rewrite
   what differs. A server does this on its own when the index is new (empty) or further
   behind than the trimmed feed reaches; ``newsdesk reindex`` does it on demand, after
   replacing a corrupt file. It costs O(archive), but never runs because of a write.

Staleness bound: a write made elsewhere is searchable here within ``refresh_s`` plus one
catch-up (a feed read and the article's chunks), as long as its change lands within
``OVERLAP_S`` of its stamp. Queries never wait for any of this: they read the index as it
stands (during a first build, the part built so far).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ingest.lexical.index import IndexedArticle, IndexedChunk, LexicalIndex
from ingest.store.archive import ArchiveStore
from ingest.store.changes import OVERLAP_S, now_position, seconds_to_positions
from ingest.store.filters import UNDATED_TS

log = logging.getLogger(__name__)

_APPLIED = "applied_position"
_FEED_PAGE = 5000  # changes applied per feed read (a read costs about 0.2 s per 100k changes kept)
_SYNC_BATCH = 100  # articles whose chunks are fetched from the store together
_PAGE_CHUNKS = 2000  # chunks a streamed rebuild indexes per commit
# A repair that must rewrite more than this share of the archive reads every chunk once
# instead of asking for articles in batches.
_STREAM_SHARE = 0.5

Progress = Callable[[int, int], None]  # (done, total) chunks


@dataclass(frozen=True)
class RepairReport:
    """What a repair found and did."""

    articles: int  # stored articles
    rewritten: int  # articles (re)indexed
    removed: int  # articles dropped from the index (gone from the store)
    chunks: int  # chunks the index holds afterwards
    seconds: float
    recreated: str | None = None  # why the file was replaced, when it was


@dataclass
class FollowerStatus:
    """How the follower stands, for ``/healthz``."""

    applied_position: int = 0
    last_success: float = 0.0  # time.time() of the last completed catch-up
    repairing: bool = False
    error: str | None = None


class LexicalFollower:
    """Brings one ``LexicalIndex`` up to date with one ``ArchiveStore``."""

    def __init__(self, index: LexicalIndex, store: ArchiveStore):
        self.index = index
        self.store = store
        self.status = FollowerStatus()
        self._lock = threading.Lock()  # one catch-up or repair at a time in this process

    def applied_position(self) -> int | None:
        """The last feed position this index applied (None: never caught up, repair first)."""
        value = self.index.get_state(_APPLIED)
        return int(value) if value else None

    def catch_up(self) -> int:
        """Apply the feed's changes since the last applied position; returns how many were read.

        An index that never caught up, or is behind the trimmed part of the feed, is repaired
        from the store instead.
        """
        with self._lock:
            applied = self.applied_position()
            floor = self.store.changes_floor()
            if applied is None or applied < floor:
                why = "new index" if applied is None else "behind the trimmed change feed"
                log.info("lexical index: %s, repairing from the store", why)
                self._repair()
                return 0
            self._date_undated()
            position = max(applied - seconds_to_positions(OVERLAP_S), 0)
            newest = applied
            read = 0
            while True:
                changes, position = self.store.changes_since(position, _FEED_PAGE)
                read += len(changes)
                if changes:
                    self.sync(sorted({c.article_id for c in changes}))
                    newest = max(newest, changes[-1].position)
                if len(changes) < _FEED_PAGE:
                    break
            self.index.set_state(_APPLIED, str(newest))
            self.status.applied_position = newest
            self.status.last_success = time.time()
            self.status.error = None
            return read

    def catch_up_if_built(self) -> None:
        """A command's read: bring an index that was built before up to date. A new index is left
        to a server or ``newsdesk reindex`` (its first build reads the whole archive)."""
        if self.applied_position() is not None:
            self.catch_up()

    def lists_articles(self) -> bool:
        """Whether the index's state can list the archive (``ingest.lexical.listing``): it caught up in
        this process, is not being rebuilt, and knows every article's publication time."""
        status = self.status
        return status.applied_position > 0 and not status.repairing and not self.index.undated(1)

    def _date_undated(self) -> None:
        """Fill in the publication time of articles indexed by a version that did not record it."""
        while undated := self.index.undated(_SYNC_BATCH):
            headers = self.store.get_headers(undated)
            # An article gone from the store is dropped by the next catch-up; undated meanwhile.
            self.index.set_dates({i: int(str(headers.get(i, {}).get("published_ts", UNDATED_TS))) for i in undated})

    def sync(self, article_ids: Sequence[str]) -> int:
        """Make these articles in the index what the store holds now; returns how many were rewritten."""
        rewritten = 0
        for at in range(0, len(article_ids), _SYNC_BATCH):
            batch = list(article_ids[at : at + _SYNC_BATCH])
            headers = self.store.get_headers(batch)
            have = self.index.hashes(batch)
            self.index.remove([i for i in batch if i not in headers and i in have])
            stale = [i for i in batch if i in headers and have.get(i) != headers[i].get("content_hash")]
            if stale:
                self.index.put(self._committed(stale, headers))
                rewritten += len(stale)
        return rewritten

    def _committed(self, article_ids: list[str], headers: dict[str, dict[str, object]]) -> list[IndexedArticle]:
        """The stored, committed version of each article (its chunks read from the store)."""
        chunks: dict[str, list[IndexedChunk]] = defaultdict(list)
        hashes: dict[str, str] = {}
        for chunk, meta in self.store.iter_chunks(article_ids):
            chunks[chunk.article_id].append(IndexedChunk(chunk.start, chunk.end, chunk.text))
            hashes[chunk.article_id] = str(meta["content_hash"])
        return [
            # The chunks' own hash (committed when read); an article committed again since then
            # has a newer change in the feed, which brings it up to date.
            _indexed(
                i,
                headers[i],
                hashes.get(i, str(headers[i].get("content_hash", ""))),
                sorted(chunks[i], key=lambda c: c.start),
            )
            for i in article_ids
        ]

    def repair(self, progress: Progress | None = None, *, check_file: bool = True) -> RepairReport:
        """Rewrite whatever differs from the store (after replacing a broken file); see the module docstring."""
        with self._lock:
            recreated, self.index.recreated = self.index.recreated, None  # found unreadable when opened
            if check_file and recreated is None:
                recreated = self.index.check()
                if recreated is not None:
                    log.warning("lexical index %s is damaged (%s); rebuilding it", self.index.path, recreated)
                    self.index.recreate()
            report = self._repair(progress)
            return replace(report, recreated=recreated)

    def _repair(self, progress: Progress | None = None) -> RepairReport:
        started = time.perf_counter()
        self.status.repairing = True
        try:
            # Changes made while this runs are after ``start`` - overlap: the next catch-up applies them.
            start = now_position()
            self._date_undated()
            stored = self.store.article_hashes()
            indexed = self.index.hashes()
            gone = [i for i in indexed if i not in stored]
            stale = [i for i, h in stored.items() if indexed.get(i) != h]
            self.index.remove(gone)
            if stale and len(stale) > _STREAM_SHARE * len(stored):
                self._rewrite_streaming(stale, stored, progress)
                # An article written while the chunks streamed in may hold both the writer's and
                # the stream's copy of its chunks: rewrite those whole (a rewrite replaces all).
                written, _ = self.store.changes_since(start - seconds_to_positions(OVERLAP_S), _FEED_PAGE * 100)
                self._rewrite([c.article_id for c in written])
            else:
                self._rewrite_in_batches(stale, progress)
            self.index.set_state(_APPLIED, str(start))
            self.status.applied_position = start
            self.status.last_success = time.time()
            self.status.error = None
            report = RepairReport(
                articles=len(stored),
                rewritten=len(stale),
                removed=len(gone),
                chunks=self.index.count(),
                seconds=time.perf_counter() - started,
            )
            log.info(
                "lexical index: repaired in %.1fs (%d articles rewritten, %d removed, %d chunks)",
                report.seconds,
                report.rewritten,
                report.removed,
                report.chunks,
            )
            return report
        finally:
            self.status.repairing = False

    def _rewrite(self, article_ids: Sequence[str]) -> None:
        """Replace these articles' chunks in the index with the store's, whatever hash the index records."""
        ids = sorted(set(article_ids))
        for at in range(0, len(ids), _SYNC_BATCH):
            batch = ids[at : at + _SYNC_BATCH]
            headers = self.store.get_headers(batch)
            self.index.remove([i for i in batch if i not in headers])
            present = [i for i in batch if i in headers]
            if present:
                self.index.put(self._committed(present, headers))

    def _rewrite_in_batches(self, stale: list[str], progress: Progress | None) -> None:
        for at in range(0, len(stale), _SYNC_BATCH):
            self.sync(stale[at : at + _SYNC_BATCH])
            if progress:
                progress(min(at + _SYNC_BATCH, len(stale)), len(stale))

    def _rewrite_streaming(self, stale: list[str], stored: dict[str, str], progress: Progress | None) -> None:
        """Most of the archive differs (a first build): read every committed chunk once, in pages."""
        todo = set(stale)
        self.index.remove(stale)
        headers: dict[str, dict[str, object]] = {}
        total = self.store.count()["chunks"]
        done = 0
        counts: dict[str, int] = defaultdict(int)
        pending: dict[str, list[IndexedChunk]] = defaultdict(list)

        def flush() -> None:
            headers.update(self.store.get_headers([i for i in pending if i not in headers]))
            self.index.add_pages(
                [(_indexed(i, headers.get(i, {}), stored[i]), chunks) for i, chunks in pending.items()]
            )
            pending.clear()

        for chunk, _ in self.store.iter_chunks():
            done += 1
            if chunk.article_id not in todo:
                continue
            pending[chunk.article_id].append(IndexedChunk(chunk.start, chunk.end, chunk.text))
            counts[chunk.article_id] += 1
            if done % _PAGE_CHUNKS == 0:
                flush()
                if progress:
                    progress(done, total)
        flush()
        if progress:
            progress(total, total)
        # The hashes read before the chunks: an article committed again mid-way has a newer
        # change in the feed (after the repair's start), which rewrites it on the next catch-up.
        headers.update(self.store.get_headers([i for i in stale if i not in headers]))
        self.index.set_hashes([_indexed(i, headers.get(i, {}), stored[i]) for i in stale], counts)

    def follow(self, stop: threading.Event, every_s: float) -> None:
        """Catch up every ``every_s`` seconds until ``stop`` is set (run in a thread of its own).

        An unreachable store is logged once per outage and retried on the next tick.
        """
        failing = False
        while True:
            try:
                self.catch_up()
                if failing:
                    log.info("lexical index: the store answers again")
                failing = False
            except Exception as exc:  # noqa: BLE001 - the store may be down for a while; queries report it
                self.status.error = str(exc)[:300]
                if not failing:
                    log.warning("lexical index: cannot follow the store (%s); retrying", exc)
                failing = True
            if stop.wait(max(every_s, 0.05)):
                return


def _indexed(
    article_id: str, header: dict[str, object], content_hash: str, chunks: Sequence[IndexedChunk] = ()
) -> IndexedArticle:
    """An article as the index keeps it, from its record in the store."""
    return IndexedArticle(
        article_id=article_id,
        content_hash=content_hash,
        title=str(header.get("title", "")),
        source=str(header.get("source") or ""),
        published_ts=int(str(header.get("published_ts", UNDATED_TS))),
        chunks=chunks,
    )
