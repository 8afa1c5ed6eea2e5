"""Watches and their alerts, kept in the bot's SQLite file that every process on the machine shares."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from service.watches.store import WatchLimit, WatchStore


def test_watching_the_same_topic_twice_in_a_channel_keeps_one_watch(tmp_path: Path) -> None:
    store = WatchStore(tmp_path / "slack.sqlite3")
    first = store.add("C1", "kazakhstan peacekeepers", "U1")
    again = store.add("C1", "Kazakhstan Peacekeepers", "U2")
    elsewhere = store.add("C2", "kazakhstan peacekeepers", "U1")
    assert again.id == first.id and elsewhere.id != first.id
    assert [w.topic for w in store.in_channel("C1")] == ["kazakhstan peacekeepers"]


def test_a_channel_cannot_watch_more_topics_than_its_limit(tmp_path: Path) -> None:
    store = WatchStore(tmp_path / "slack.sqlite3", max_per_channel=2)
    store.add("C1", "ferry strike", "U1")
    store.add("C1", "tram line", "U1")
    with pytest.raises(WatchLimit, match="2 topics"):
        store.add("C1", "harbour dredging", "U1")
    assert store.add("C2", "harbour dredging", "U1").channel == "C2"


def test_a_channel_removes_only_its_own_watches(tmp_path: Path) -> None:
    store = WatchStore(tmp_path / "slack.sqlite3")
    watch = store.add("C1", "ferry strike", "U1")
    assert not store.remove(watch.id, "C2")
    assert store.remove(watch.id, "C1")
    assert store.in_channel("C1") == [] and not store.remove(watch.id, "C1")


def test_an_alert_is_claimed_once_whichever_process_asks(tmp_path: Path) -> None:
    path = tmp_path / "slack.sqlite3"
    one, other = WatchStore(path), WatchStore(path)
    watch = one.add("C1", "ferry strike", "U1")
    assert one.claim(watch, "a1", "", per_hour=6) is True
    assert other.claim(watch, "a1", "", per_hour=6) is None
    assert other.counts(watch.id).posted == 1


def test_the_hourly_limit_holds_back_a_channels_extra_alerts_and_counts_them(tmp_path: Path) -> None:
    store = WatchStore(tmp_path / "slack.sqlite3")
    busy, quiet = store.add("C1", "ferry strike", "U1"), store.add("C2", "ferry strike", "U1")
    verdicts = [store.claim(busy, f"a{i}", "", per_hour=3) for i in range(5)]
    assert verdicts == [True, True, True, False, False]
    assert store.claim(quiet, "a9", "", per_hour=3) is True
    counts = store.counts(busy.id)
    assert (counts.posted, counts.held) == (3, 2)


def test_only_one_follower_holds_the_alerts_until_its_lease_runs_out(tmp_path: Path) -> None:
    store = WatchStore(tmp_path / "slack.sqlite3")
    assert store.take_lease("server-a", lease_s=0.3)
    assert not store.take_lease("server-b", lease_s=0.3)
    assert store.take_lease("server-a", lease_s=0.3)  # renewing its own
    assert store.advance("server-a", "p1") and not store.advance("server-b", "p2")
    time.sleep(0.4)
    assert store.take_lease("server-b", lease_s=0.3)
    assert store.advance("server-b", "p2") and store.position() == "p2"
    store.release_lease("server-b")
    assert store.take_lease("server-a", lease_s=0.3)
