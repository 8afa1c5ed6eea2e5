"""Turns at the embedding model: a question's few texts go before a bulk ingest's next batch.

The model runs one call at a time: on two cores, two forward passes at once finish no sooner than
one after the other, and each holds its activations meanwhile. Who goes next matters under load. A
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
    """One caller at a time; waiting queries first, a waiting bulk batch at least every ``bulk_after`` turns."""

    def __init__(self, bulk_after: int = 4):
        if bulk_after < 1:
            raise ValueError("bulk_after must be at least 1")
        self.bulk_after = bulk_after
        self._changed = threading.Condition(threading.Lock())
        self._busy = False
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
            self._busy = True
            if kind == "bulk":
                self._passed_over = 0
            elif self._waiting["bulk"]:
                self._passed_over += 1
        try:
            yield
        finally:
            with self._changed:
                self._busy = False
                self._changed.notify_all()

    def busy(self) -> bool:
        """Whether someone holds the model now."""
        with self._changed:
            return self._busy

    def waiting(self, kind: TurnKind) -> int:
        """Callers of ``kind`` waiting for a turn now (for tests and metrics)."""
        with self._changed:
            return self._waiting[kind]

    def _may_go(self, kind: TurnKind) -> bool:
        if self._busy:
            return False
        bulk_due = self._waiting["bulk"] > 0 and self._passed_over >= self.bulk_after
        if kind == "query":
            return not bulk_due
        return bulk_due or self._waiting["query"] == 0
