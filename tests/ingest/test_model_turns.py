"""Turns at the embedding model: a question is embedded while a bulk ingest is embedding, not after it."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import pytest

from ingest.embedding import Embedder
from ingest.embedding.turns import ModelTurns, TurnKind


def wait_until(condition: Callable[[], bool]) -> None:
    """Wait (without a clock in the assertion) until ``condition`` holds; fail after a minute."""
    for _ in range(6000):
        if condition():
            return
        threading.Event().wait(0.01)
    raise AssertionError("condition never held")


class Queue:
    """Callers queued behind one holder of the model, recording the order they got their turns in."""

    def __init__(self, turns: ModelTurns):
        self.turns = turns
        self.order: list[str] = []
        self.threads: list[threading.Thread] = []

    def join(self, name: str, kind: TurnKind) -> None:
        def run() -> None:
            with self.turns.turn(kind):
                self.order.append(name)

        waiting = self.turns.waiting(kind)
        thread = threading.Thread(target=run, name=name)
        thread.start()
        self.threads.append(thread)
        wait_until(lambda: self.turns.waiting(kind) == waiting + 1)

    def finish(self) -> None:
        for thread in self.threads:
            thread.join(timeout=60)


def test_a_waiting_query_goes_before_a_waiting_bulk_batch() -> None:
    turns = ModelTurns(bulk_after=4)
    queue = Queue(turns)
    release = threading.Event()
    holder = threading.Thread(target=lambda: _hold(turns, release))
    holder.start()
    wait_until(lambda: turns.busy())
    queue.join("bulk batch", "bulk")
    queue.join("question", "query")
    release.set()
    holder.join()
    queue.finish()
    assert queue.order == ["question", "bulk batch"]


def test_queries_asked_back_to_back_cannot_starve_an_ingest() -> None:
    turns = ModelTurns(bulk_after=2)
    queue = Queue(turns)
    release = threading.Event()
    holder = threading.Thread(target=lambda: _hold(turns, release))
    holder.start()
    wait_until(lambda: turns.busy())
    queue.join("bulk batch", "bulk")
    for n in range(5):
        queue.join(f"question {n}", "query")
    release.set()
    holder.join()
    queue.finish()
    # Two questions pass the waiting batch, then it has its turn, then the rest of the questions.
    assert queue.order.index("bulk batch") == 2
    assert sorted(queue.order) == sorted(["bulk batch"] + [f"question {n}" for n in range(5)])


def test_a_bulk_batch_with_no_query_waiting_goes_at_once() -> None:
    turns = ModelTurns()
    with turns.turn("bulk"):
        assert turns.waiting("query") == 0
    with turns.turn("query"):
        pass


def test_queries_run_side_by_side_up_to_their_slots_and_the_next_waits() -> None:
    turns = ModelTurns(query_slots=2)
    release = threading.Event()
    holders = [threading.Thread(target=lambda: _hold(turns, release)) for _ in range(2)]
    for holder in holders:
        holder.start()
    wait_until(lambda: turns.running("query") == 2)
    queue = Queue(turns)
    queue.join("third question", "query")
    assert queue.order == [] and turns.running("query") == 2
    release.set()
    for holder in holders:
        holder.join()
    queue.finish()
    assert queue.order == ["third question"]


def test_a_due_bulk_batch_stops_new_queries_waits_for_the_running_ones_and_then_runs_alone() -> None:
    turns = ModelTurns(bulk_after=1, query_slots=2)
    release = threading.Event()
    holders = [threading.Thread(target=lambda: _hold(turns, release))]
    holders[0].start()
    wait_until(lambda: turns.running("query") == 1)
    in_bulk, leave_bulk = threading.Event(), threading.Event()

    def bulk() -> None:
        with turns.turn("bulk"):
            in_bulk.set()
            leave_bulk.wait(60)

    batch = threading.Thread(target=bulk)
    batch.start()
    wait_until(lambda: turns.waiting("bulk") == 1)
    # One question passes the waiting batch (bulk_after=1) and takes the free slot ...
    holders.append(threading.Thread(target=lambda: _hold(turns, release)))
    holders[1].start()
    wait_until(lambda: turns.running("query") == 2)
    # ... then the batch is due: when the slots free up, it goes before the next question, alone.
    queue = Queue(turns)
    queue.join("late question", "query")
    release.set()
    for holder in holders:
        holder.join()
    wait_until(in_bulk.is_set)
    assert turns.running("query") == 0 and queue.order == []
    leave_bulk.set()
    batch.join()
    queue.finish()
    assert queue.order == ["late question"]


def _hold(turns: ModelTurns, release: threading.Event) -> None:
    with turns.turn("query"):
        release.wait(60)


@pytest.mark.slow
def test_a_question_is_embedded_while_a_bulk_ingest_is_still_embedding(embedder: Embedder) -> None:
    chunks = [
        f"Chunk {n} of a long feed poll about the harbour, the council vote and the storm. " * 12 for n in range(160)
    ]
    bulk_done = threading.Event()
    result: dict[str, np.ndarray] = {}

    def ingest() -> None:
        result["chunks"] = embedder.encode_bulk(chunks)
        bulk_done.set()

    ingesting = threading.Thread(target=ingest)
    ingesting.start()
    wait_until(lambda: embedder.turns.busy())  # the ingest's first batch is in the model
    question = embedder.encode(["when did the storm reach the harbour?"])
    assert not bulk_done.is_set(), "the question waited for the whole ingest"
    ingesting.join(timeout=600)
    assert question.shape == (1, embedder.dimension)
    # The ingest's vectors are those of one plain call: the same batches, only interleaved with the question.
    np.testing.assert_allclose(result["chunks"], embedder.encode(chunks), atol=1e-5)
