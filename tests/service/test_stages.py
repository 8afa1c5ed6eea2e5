"""Where an ask spends its time: stages a caller can record (what bench/ask.py's profile reads)."""

from __future__ import annotations

import time

import pytest

from ingest.embedding import Embedder
from service.answer.ask import Asker, AskRequest
from service.answer.extractive import ExtractiveAnswerer
from service.retrieval.hybrid import HybridRetriever
from service.stages import recording_stages, stage, staged


@staged("outer")
def outer_work() -> str:
    with stage("inner"):
        time.sleep(0.01)
    with stage("inner"):
        pass
    return "done"


def test_a_recording_times_each_stage_by_its_call_path_and_counts_its_entries() -> None:
    with recording_stages() as times:
        assert outer_work() == "done"
    assert set(times.ms) == {"outer", "outer > inner"}
    assert times.calls == {"outer": 1, "outer > inner": 2}
    assert times.ms["outer"] >= times.ms["outer > inner"] >= 10


def test_nothing_is_recorded_outside_a_recording() -> None:
    outer_work()
    with recording_stages() as times:
        pass
    outer_work()
    assert times.ms == {} and times.calls == {}


def test_a_stage_that_raises_is_still_timed_and_the_recording_goes_on() -> None:
    with recording_stages() as times:
        with pytest.raises(ValueError), stage("failing"):
            raise ValueError("boom")
        with stage("after"):
            pass
    assert set(times.ms) == {"failing", "after"}


@pytest.mark.slow
def test_recording_an_ask_shows_retrieval_answering_and_the_citation_check(
    retriever: HybridRetriever, embedder: Embedder
) -> None:
    asker = Asker(retriever, ExtractiveAnswerer(), embedder)
    with recording_stages() as times:
        answer = asker.ask(AskRequest("who sent peacekeepers?"))
    assert answer.answered
    for path in (
        "retrieve",
        "retrieve > encode",
        "retrieve > fuse dense+BM25 > Chroma query_chunks",
        "retrieve > fuse dense+BM25 > BM25",
        "retrieve > load passages",
        "retrieve > sentence scoring > encode",
        "answerer",
        "answerer > question type",
        "finish > citation check",
    ):
        assert times.calls.get(path, 0) >= 1, (path, sorted(times.ms))
    assert times.ms["retrieve"] <= answer.timings_ms["retrieve"] + 1
