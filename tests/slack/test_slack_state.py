"""The bot's durable state: event dedupe shared by processes, feedback records."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path

import pytest

from ingest.models import ArticleRecord
from service.answer.models import Answer, Citation
from service.slack import dedupe as dedupe_module
from service.slack.dedupe import EventDeduper
from service.slack.feedback import FeedbackStore


def _claim_all(path: str, keys: list[str], results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    deduper = EventDeduper(Path(path))
    results.put(sum(deduper.claim(k) for k in keys))


def test_each_event_is_claimed_once_across_processes(tmp_path: Path) -> None:
    path = tmp_path / "slack.sqlite3"
    keys = [f"event:Ev{i:04d}" for i in range(40)]
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_claim_all, args=(str(path), keys, results)) for _ in range(3)]
    for w in workers:
        w.start()
    claimed = [results.get(timeout=60) for _ in workers]
    for w in workers:
        w.join(timeout=60)
    assert sum(claimed) == len(keys)  # every key answered by exactly one process
    assert not EventDeduper(path).claim(keys[0])  # and remembered on disk


def test_claims_expire_and_stay_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedupe_module, "PRUNE_EVERY", 1)
    deduper = EventDeduper(tmp_path / "s.sqlite3", ttl_s=0.3, max_entries=5)
    assert deduper.claim("a") and not deduper.claim("a")
    time.sleep(0.4)
    assert deduper.claim("a")  # a day later (here: a moment) the id is forgotten
    for i in range(20):
        deduper.claim(f"k{i}")
    with sqlite3.connect(tmp_path / "s.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM handled_events").fetchone()[0] <= 6


def test_an_unusable_file_falls_back_to_memory(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    deduper = EventDeduper(blocker / "slack.sqlite3")
    assert not deduper.durable and "in memory only" in caplog.text
    assert deduper.claim("x") and not deduper.claim("x")


def _answer() -> Answer:
    article = ArticleRecord(
        id="7cad39852b97a73a",
        title="Not local unrest",
        source="Asianet Newsable",
        authors=["Anish Kumar"],
        published_at="2022-01-11T00:18:00+05:30",
        url=None,
    )
    quote = "the Northern Treaty Alliance -- were deployed."
    return Answer(
        question="who sent peacekeepers?",
        answer="The CSTO sent peacekeepers [1].",
        short_answer="the CSTO",
        answered=True,
        as_of="2022-01-12",
        answerer="extractive",
        citations=[Citation(n=1, id="7cad39852b97a73a:1400-1474", quote=quote, start=1400, end=1474, article=article)],
    )


def test_feedback_is_recorded_with_its_answer(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "slack.sqlite3")
    assert store.list() == [] and not (tmp_path / "slack.sqlite3").exists()  # listing creates nothing
    store.record_answer("k1", _answer(), sources=["Asianet Newsable"], channel="C1", thread_ts="1.2", asked_by="UJ")
    assert store.record_click("k1", "UA", "up", channel="C1", message_ts="1.3")
    assert store.record_click("k1", "UB", "down")
    assert store.record_click("k1", "UA", "down")  # UA changes their mind: one verdict per person and answer
    assert not store.record_click("gone", "UA", "up", message_text="an answer from before")

    records = FeedbackStore(tmp_path / "slack.sqlite3").list()  # another process's view
    assert [(r["key"], r["user"], r["verdict"]) for r in records] == [
        ("gone", "UA", "up"),
        ("k1", "UA", "down"),
        ("k1", "UB", "down"),
    ]
    unknown, first = records[0], records[1]
    assert unknown["recorded"] is False and unknown["answer"] == "an answer from before" and unknown["question"] is None
    assert (
        first["question"] == "who sent peacekeepers?"
        and first["short_answer"] == "the CSTO"
        and first["answered"] is True
    )
    assert (
        first["citations"][0]["id"] == "7cad39852b97a73a:1400-1474"
        and first["citations"][0]["article"]["source"] == "Asianet Newsable"
    )
    assert first["sources"] == ["Asianet Newsable"] and first["channel"] == "C1" and first["asked_by"] == "UJ"
    assert first["at"].endswith("+00:00") and first["answered_at"]
    assert [r["user"] for r in store.list(verdict="up")] == ["UA"]
    assert len(store.list(limit=1)) == 1
    with pytest.raises(ValueError):
        store.record_click("k1", "UA", "meh")  # type: ignore[arg-type]
