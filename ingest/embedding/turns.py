"""Turns at the embedding model: a question's few texts go before a bulk ingest's next batch.

A bulk batch runs alone: it uses every core, so a second forward pass beside it finishes no sooner
than after it, and each holds its activations meanwhile. Queries run on one onnxruntime thread each
(``embed_query_threads``), so up to ``query_slots`` of them run side by side, one per core: one at a
time kept a server under 16 clients at 1.25 of 2 cores, its model busy three quarters of the time
(bench/README.md, "Where an ask waits"). Who goes next matters under load. A
feed poll or an ``ingest`` embeds hundreds of chunks (seconds of model time); a question embeds
itself and a few sentences (milliseconds). With one plain lock per ``encode`` call, a search waited
up to 39 s behind a poll's batch (``bench/feed_poll.py``).

So bulk work takes one turn per model batch, and a waiting query is served before a waiting batch:
a query waits for at most the batch already running. So that a steady stream of queries cannot starve
an ingest (16 clients asking back to back), a waiting batch gets the next turn once ``bulk_after``
query turns have passed it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

TurnKind = Literal["query", "bulk"]


class ModelTurns:
    """A bulk batch alone or up to ``query_slots`` queries; waiting queries first, a waiting bulk batch at least
    every ``bulk_after`` query turns."""

    def __init__(self, bulk_after: int = 4, query_slots: int = 1):
        if bulk_after < 1:
            raise ValueError("bulk_after must be at least 1")
        if query_slots < 1:
            raise ValueError("query_slots must be at least 1")
        self.bulk_after = bulk_after
        self.query_slots = query_slots
        self._changed = threading.Condition(threading.Lock())
        self._running: dict[TurnKind, int] = {"query": 0, "bulk": 0}
        self._waiting: dict[TurnKind, int] = {"query": 0, "bulk": 0}
        self._passed_over = 0  # query turns granted while a bulk batch was waiting

    @contextmanager
    def turn(self, kind: TurnKind) -> Iterator[None]:
        """Hold the model for one call of ``kind`` (``query``: a request's texts; ``bulk``: one ingest batch)."""
        with self._changed:
            self._waiting[kind] += 1
            try:
                self._changed.wait_for(lambda: self._may_go(kind))
            finally:
                self._waiting[kind] -= 1
            self._running[kind] += 1
            if kind == "bulk":
                self._passed_over = 0
            elif self._waiting["bulk"]:
                self._passed_over += 1
        try:
            yield
        finally:
            with self._changed:
                self._running[kind] -= 1
                self._changed.notify_all()

    def busy(self) -> bool:
        """Whether someone holds the model now."""
        with self._changed:
            return any(self._running.values())

    def running(self, kind: TurnKind) -> int:
        """Callers of ``kind`` holding the model now (for tests and metrics)."""
        with self._changed:
            return self._running[kind]

    def waiting(self, kind: TurnKind) -> int:
        """Callers of ``kind`` waiting for a turn now (for tests and metrics)."""
        with self._changed:
            return self._waiting[kind]

    def _may_go(self, kind: TurnKind) -> bool:
        if self._running["bulk"]:
            return False
        bulk_due = self._waiting["bulk"] > 0 and self._passed_over >= self.bulk_after
        if kind == "query":
            return not bulk_due and self._running["query"] < self.query_slots
        return self._running["query"] == 0 and (bulk_due or self._waiting["query"] == 0)
