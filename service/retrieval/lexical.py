"""BM25 over the stored chunks: finds names, numbers and rare words the embedding misses.

The index is derived from the store and never a second source of truth: it remembers the
store's *revision* (stamped by every write, from any process) and rebuilds when that
changes. Queries keep using the previous index while a rebuild runs in the background, so a
change made elsewhere becomes visible within ``check_every_s`` (``refresh_s``, longer after
slow rebuilds) plus one rebuild, and no query waits for one except the very first.

A server also runs ``keep_fresh`` in a thread, so the index follows writes made through other
processes even while this one gets no queries: the next query never starts from an index
staler than that bound.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import bm25s
import numpy as np
import Stemmer

from ingest.store import ArchiveStore
from ingest.store.archive import UNDATED_TS, timestamp

log = logging.getLogger(__name__)

_STEMMER = Stemmer.Stemmer("english")


@dataclass(frozen=True)
class LexicalHit:
    """A chunk found by BM25: where it is, its text, when its article was published, its score."""

    article_id: str
    start: int
    end: int
    text: str
    published_ts: float
    score: float


@dataclass
class _Snapshot:
    revision: str
    model: bm25s.BM25 | None
    article_ids: list[str]
    texts: list[str]
    spans: np.ndarray  # (n, 2) start, end
    published: np.ndarray  # float seconds; UNDATED_TS when undated
    sources: np.ndarray  # object array of outlet names ("" when unknown)

    @property
    def size(self) -> int:
        return len(self.article_ids)


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stemmed word tokens without English stop words."""
    return bm25s.tokenize(list(texts), stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False)


# Checks of the store are at least this many times the last rebuild's duration apart.
REBUILD_SPACING = 4.0


class LexicalIndex:
    """A BM25 index of every committed chunk (title included), kept in step with the store."""

    def __init__(self, store: ArchiveStore, refresh_s: float = 1.0):
        self.store = store
        self.refresh_s = refresh_s
        self._snapshot = _Snapshot(
            "", None, [], [], np.zeros((0, 2), dtype=np.int64), np.zeros(0), np.zeros(0, dtype=object)
        )
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self._building: threading.Thread | None = None
        self._watched = False
        self._last_build_s = 0.0

    @property
    def revision(self) -> str:
        """The store revision the current index reflects."""
        return self._snapshot.revision

    @property
    def size(self) -> int:
        """How many chunks the current index holds."""
        return self._snapshot.size

    def keep_fresh(self, stop: threading.Event) -> None:
        """Check the store every ``refresh_s`` and rebuild on change, until ``stop`` is set.

        Run in a thread of its own. Queries then leave refreshing to it (no second rebuild in
        parallel). An unreachable store is logged and retried on the next tick.
        """
        self._watched = True
        failing = False
        try:
            while not stop.wait(max(self.check_every_s, 0.05)):
                try:
                    self.refresh(wait=True)
                except Exception as exc:  # noqa: BLE001 - the store may be down for a while; queries report it
                    if not failing:  # once per outage, not once per tick
                        log.warning("lexical index: cannot check the store (%s); retrying", exc)
                    failing = True
                    continue
                if failing:
                    log.info("lexical index: the store answers again")
                failing = False
        finally:
            self._watched = False

    @property
    def check_every_s(self) -> float:
        """Seconds between checks of the store: ``refresh_s``, or more after slow rebuilds.

        Rebuilding reads every chunk back, so under a steady stream of writes (one every
        couple of seconds) back-to-back rebuilds would take a core of their own. Spacing
        checks by ``REBUILD_SPACING`` times the last rebuild's duration keeps them to a fifth
        of a core at most; a write made elsewhere is then in the index within
        ``max(refresh_s, 4 x rebuild) + rebuild``. ``refresh_s=0`` checks before every query
        all the same (tests, and tools that must see their own writes at once).
        """
        if self.refresh_s == 0:
            return 0.0
        return max(self.refresh_s, REBUILD_SPACING * self._last_build_s)

    def sources(self) -> list[str]:
        """Every outlet name in the index (for reading outlet names in questions)."""
        return sorted({s for s in self._snapshot.sources.tolist() if s})

    def refresh(self, wait: bool = False) -> None:
        """Rebuild if the store changed; with ``wait`` block until the index is current."""
        now = time.monotonic()
        if not wait and now - self._checked_at < self.check_every_s:
            return
        self._checked_at = now
        revision = self.store.revision()
        if revision == self._snapshot.revision and self._snapshot.model is not None:
            return
        if wait or self._snapshot.model is None:
            self._rebuild(revision)
            return
        with self._lock:
            if self._building is None or not self._building.is_alive():
                self._building = threading.Thread(
                    target=self._rebuild, args=(revision,), daemon=True, name="lexical-rebuild"
                )
                self._building.start()

    def _rebuild(self, revision: str) -> None:
        started = time.perf_counter()
        article_ids: list[str] = []
        spans: list[tuple[int, int]] = []
        published: list[float] = []
        sources: list[str] = []
        texts: list[str] = []
        titles: dict[str, str] = {}
        for chunk, meta in self.store.iter_chunks():
            article_ids.append(chunk.article_id)
            spans.append((chunk.start, chunk.end))
            published.append(float(meta.get("published_ts", UNDATED_TS)))
            sources.append(str(meta.get("source") or ""))
            texts.append(chunk.text)
        if article_ids:
            titles = {i: h.get("title", "") for i, h in self.store.get_headers(sorted(set(article_ids))).items()}
        model: bm25s.BM25 | None = None
        if texts:
            model = bm25s.BM25()
            model.index(
                tokenize([titles.get(a, "") + "\n" + t for a, t in zip(article_ids, texts, strict=False)]),
                show_progress=False,
            )
        snapshot = _Snapshot(
            revision=revision,
            model=model,
            article_ids=article_ids,
            texts=texts,
            spans=np.asarray(spans, dtype=np.int64).reshape(-1, 2),
            published=np.asarray(published, dtype=np.float64),
            sources=np.asarray(sources, dtype=object),
        )
        with self._lock:
            self._snapshot = snapshot
        self._last_build_s = time.perf_counter() - started
        log.info(
            "lexical index: %d chunks in %.2fs (revision %s)",
            snapshot.size,
            time.perf_counter() - started,
            revision[:8],
        )

    def share(
        self, *, sources: Sequence[str] | None = None, since: datetime | None = None, until: datetime | None = None
    ) -> float | None:
        """The fraction of indexed chunks within these filters, or ``None`` before the first build.

        Chunks here are the store's committed chunks, so this estimates how selective the same
        filter is on the store (dense retrieval picks its query plan by it).
        """
        snap = self._snapshot
        if snap.model is None or snap.size == 0:
            return None
        return float(_admitted(snap, sources, since, until).mean())

    def search(
        self,
        query: str,
        k: int,
        *,
        sources: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[LexicalHit]:
        """The ``k`` best chunks for ``query`` by BM25, within the outlet and date filters."""
        if not self._watched or self._snapshot.model is None:
            self.refresh()
        snap = self._snapshot
        if snap.model is None or snap.size == 0:
            return []
        tokens = tokenize([query])
        if not tokens or not tokens[0]:
            return []
        mask = _admitted(snap, sources, since, until)
        if not mask.any():
            return []
        scores = snap.model.get_scores(tokens[0])
        scores = np.where(mask, scores, -np.inf)
        top = np.argsort(-scores)[: max(k, 1)]
        return [
            LexicalHit(
                snap.article_ids[i],
                int(snap.spans[i, 0]),
                int(snap.spans[i, 1]),
                snap.texts[i],
                float(snap.published[i]),
                float(scores[i]),
            )
            for i in top
            if np.isfinite(scores[i]) and scores[i] > 0
        ]


def _admitted(
    snap: _Snapshot, sources: Sequence[str] | None, since: datetime | None, until: datetime | None
) -> np.ndarray:
    """Which chunks of ``snap`` pass the outlet and date filters, as a boolean mask."""
    mask = np.ones(snap.size, dtype=bool)
    if sources:
        mask &= np.isin(snap.sources, list(sources))
    if since is not None:
        mask &= snap.published >= float(timestamp(since))
    if until is not None:
        mask &= snap.published <= float(timestamp(until))
    return mask
