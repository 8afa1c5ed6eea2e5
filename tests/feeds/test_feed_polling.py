"""Polling feeds over a real local HTTP server into a real archive (the bundled model, embedded Chroma).

The feeds change between polls; the poller's clock is moved by the test, so intervals and backoff
are checked without sleeping through them.
"""

from __future__ import annotations

import threading
import time

from conftest import Clock

from bench.feed_server import FeedServer, Item, story
from ingest.feeds import FeedPoller, FeedState
from ingest.pipeline import Ingestor
from ingest.settings import IngestSettings
from ingest.store import ArchiveStore


def stored_titles(store: ArchiveStore) -> list[str]:
    return sorted(a.title for a in store.list_articles(limit=1000))


def test_new_entries_are_stored_once_and_an_unchanged_feed_answers_304(
    feed_server: FeedServer, state: FeedState, poller: FeedPoller, store: ArchiveStore, clock: Clock
) -> None:
    url = feed_server.add("city", "City Herald", [story(1), story(2)])
    feed, created = state.add(url, every_s=60, now=clock())
    assert created

    first = poller.poll_due()
    assert [p.status for p in first] == ["stored"]
    assert len(first[0].created) == 2 and first[0].stored == first[0].created
    assert {o.title for o in first[0].stored} == {story(1).title, story(2).title}

    assert poller.poll_due() == []  # not due before its interval
    clock.advance(61)
    second = poller.poll_due()
    assert [p.status for p in second] == ["not_modified"]
    conditional = feed_server.requests_for("city")[-1]
    assert conditional.status == 304
    assert conditional.if_none_match and conditional.if_modified_since  # both validators were sent back

    feed_server.publish("city", story(3))
    clock.advance(61)
    third = poller.poll_due()
    assert [p.status for p in third] == ["stored"]
    assert [o.title for o in third[0].created] == [story(3).title]
    assert third[0].unchanged == 2

    assert stored_titles(store) == sorted(story(n).title for n in (1, 2, 3))
    after = state.get(feed.id)
    assert after is not None
    assert (after.polls, after.not_modified, after.new_articles, after.errors) == (3, 1, 3, 0)
    assert after.last_new_article_at == clock() and after.source is None
    assert store.list_articles(limit=10)[0].source == "City Herald"  # the feed's title is the outlet


def test_a_failing_feed_backs_off_and_reports_its_error_while_the_others_poll(
    feed_server: FeedServer, state: FeedState, poller: FeedPoller, store: ArchiveStore, clock: Clock
) -> None:
    good = feed_server.add("good", "Good Times", [story(1)])
    bad = feed_server.add("bad", "Broken Post", [story(1, "airport")])
    feed_server.route("bad").status = 500
    good_feed, _ = state.add(good, every_s=10, now=clock())
    bad_feed, _ = state.add(bad, every_s=10, now=clock(), source="Broken Post")

    waits = []
    for _ in range(16):
        polls = {p.feed_id: p for p in poller.poll_due()}
        assert polls[good_feed.id].status in ("stored", "not_modified")  # polled on its interval throughout
        if bad_feed.id in polls:
            poll = polls[bad_feed.id]
            assert poll.status == "error" and poll.error == "HTTP 500 Internal Server Error"
            waits.append(round(poll.next_poll_at - poll.polled_at))
        clock.advance(10)

    # Doubling from the 10 s interval: polled at 0, 20, 60 and 140 s of the 150.
    assert waits == [20, 40, 80, 160]
    broken = state.get(bad_feed.id)
    assert broken is not None
    assert broken.consecutive_errors == len(waits) and broken.last_error == "HTTP 500 Internal Server Error"
    assert state.get(good_feed.id).errors == 0  # type: ignore[union-attr]
    assert state.get(good_feed.id).polls == 16  # type: ignore[union-attr]
    assert stored_titles(store) == [story(1).title]

    feed_server.route("bad").status = 200  # the publisher recovers
    clock.advance(1000)
    polls = {p.feed_id: p for p in poller.poll_due()}
    assert polls[bad_feed.id].status == "stored" and len(polls[bad_feed.id].created) == 1
    recovered = state.get(bad_feed.id)
    assert recovered is not None and recovered.consecutive_errors == 0
    assert recovered.next_poll_at == clock() + 10  # back to its own interval
    assert recovered.last_error == "HTTP 500 Internal Server Error"  # the last error stays on record


def test_the_backoff_stops_at_its_cap(
    feed_server: FeedServer, state: FeedState, poller: FeedPoller, clock: Clock, feed_settings: IngestSettings
) -> None:
    feed_server.add("down", "Down Daily")
    feed_server.route("down").status = 503
    state.add(feed_server.url("down"), every_s=60, now=clock())
    waits = []
    for _ in range(5):
        (poll,) = poller.poll_due()
        waits.append(poll.next_poll_at - poll.polled_at)
        clock.advance(poll.next_poll_at - clock())
    assert waits == [120, 240, 300, 300, 300]  # capped at feed_backoff_cap_s
    assert feed_settings.feed_backoff_cap_s == 300


def test_a_slow_feed_times_out_without_holding_up_the_others(
    feed_server: FeedServer, state: FeedState, poller: FeedPoller, store: ArchiveStore, clock: Clock
) -> None:
    state.add(feed_server.add("slow", "Slow News", [story(1, "tunnel")]), every_s=60, now=clock())
    state.add(feed_server.add("quick", "Quick News", [story(2)]), every_s=60, now=clock())
    feed_server.route("slow").delay_s = 3.0  # the settings' timeout is 1 s

    polls = {p.url: p for p in poller.poll_due()}
    slow = polls[feed_server.url("slow")]
    assert slow.status == "error" and slow.error == "timed out after 1s"
    assert polls[feed_server.url("quick")].status == "stored"
    assert stored_titles(store) == [story(2).title]


def test_a_malformed_feed_fails_as_a_whole_and_loses_nothing_stored(
    feed_server: FeedServer, state: FeedState, poller: FeedPoller, store: ArchiveStore, clock: Clock
) -> None:
    url = feed_server.add("wire", "Wire", [story(1), story(2)])
    feed, _ = state.add(url, every_s=60, now=clock())
    assert poller.poll_due()[0].status == "stored"

    feed_server.route("wire").raw = b"<html><body>502 Bad Gateway from the CDN</body></html>"
    clock.advance(61)
    (poll,) = poller.poll_due()
    assert poll.status == "error" and "RSS or Atom feed" in (poll.error or "")
    assert stored_titles(store) == sorted([story(1).title, story(2).title])  # nothing stored is lost
    failed = state.get(feed.id)
    assert failed is not None and failed.last_error == poll.error and failed.consecutive_errors == 1

    feed_server.route("wire").raw = None  # the feed comes back, with a new entry
    feed_server.publish("wire", story(3))
    clock.advance(1000)
    (poll,) = poller.poll_due()
    assert poll.status == "stored" and [o.title for o in poll.created] == [story(3).title]


def test_a_malformed_entry_fails_alone_with_its_reason_and_the_others_are_stored(
    feed_server: FeedServer, state: FeedState, poller: FeedPoller, store: ArchiveStore, clock: Clock
) -> None:
    broken = Item(
        title="Dated nowhere", link="http://news.example/bad", text=story(9).text, pub_date="the 45th of Mars"
    )
    state.add(feed_server.add("mixed", "Mixed", [story(1), broken, story(2)]), every_s=60, now=clock())
    (poll,) = poller.poll_due()
    assert poll.status == "stored"
    assert len(poll.created) == 2
    assert [(f.origin, f.reason) for f in poll.failures] == [
        ("http://news.example/bad", "unparseable date 'the 45th of Mars'")
    ]
    assert stored_titles(store) == sorted([story(1).title, story(2).title])


def test_the_source_option_names_the_outlet_of_every_article(
    feed_server: FeedServer, state: FeedState, poller: FeedPoller, store: ArchiveStore, clock: Clock
) -> None:
    state.add(feed_server.add("agency", "AGENCY WIRE FEED", [story(1)]), every_s=60, now=clock(), source="Agency")
    poller.poll_due()
    assert [a.source for a in store.list_articles(limit=10)] == ["Agency"]


def test_a_refused_address_is_that_feeds_error(
    feed_server: FeedServer, state: FeedState, ingestor: Ingestor, clock: Clock, feed_settings: IngestSettings
) -> None:
    """With the default settings a loopback feed is refused by the URL-safety rules, never fetched."""
    safe = feed_settings.model_copy(update={"allow_private_urls": False})
    state.add(feed_server.add("local", "Local", [story(1)]), every_s=60, now=clock())
    (poll,) = FeedPoller(safe, state, lambda: ingestor, clock=clock).poll_due()
    assert poll.status == "error" and poll.error is not None and poll.error.startswith("refused: 127.0.0.1")
    assert feed_server.requests_for("local") == []


def test_two_pollers_over_one_data_folder_never_poll_one_feed_at_once(
    feed_server: FeedServer,
    feed_settings: IngestSettings,
    ingestor: Ingestor,
    store: ArchiveStore,
    write_lock: threading.Lock,
) -> None:
    """Two pollers (each its own connection to the state file, as two servers have) share the feeds."""
    settings = feed_settings.model_copy(update={"feed_check_s": 0.05})
    names = [f"desk{n}" for n in range(4)]
    setup = FeedState(settings.feeds_path)
    for n, name in enumerate(names):
        setup.add(feed_server.add(name, f"Desk {n}", [story(n, name)]), every_s=1, now=time.time())
        feed_server.route(name).delay_s = 0.3  # long enough for the other poller to try the same feed

    pollers = [
        FeedPoller(settings, FeedState(settings.feeds_path), lambda: ingestor, name=who, write_lock=write_lock)
        for who in ("one", "two")
    ]
    stop = threading.Event()
    polled_by: dict[str, list[str]] = {"one": [], "two": []}
    threads = [
        threading.Thread(
            target=p.run, args=(stop, lambda polls, who=p.name: polled_by[who].extend(x.feed_id for x in polls))
        )
        for p in pollers
    ]
    for t in threads:
        t.start()
    # Until every feed was polled twice (its 1 s interval passed) and both pollers took part; a deadline,
    # not a fixed wait, because a busy machine slows the pollers down.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (
        all(len(feed_server.requests_for(name)) >= 2 for name in names) and polled_by["one"] and polled_by["two"]
    ):
        time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join(10)

    for name in names:
        route = feed_server.route(name)
        assert route.max_in_flight == 1, f"{name} was polled by two pollers at once"
        assert len(feed_server.requests_for(name)) >= 2  # polled again after its 1 s interval
    assert polled_by["one"] and polled_by["two"]  # both took part
    assert stored_titles(store) == sorted(story(n, name).title for n, name in enumerate(names))  # each once


def test_a_lease_held_by_one_poller_is_taken_by_another_only_after_it_expires(state: FeedState) -> None:
    now = 1_000_000.0
    feed, _ = state.add("http://news.example/feed.xml", every_s=60, now=now)
    assert state.claim_due("one", now=now, lease_s=30) is not None
    assert state.claim_due("two", now=now + 29, lease_s=30) is None
    taken = state.claim_due("two", now=now + 31, lease_s=30)  # "one" died mid-poll; its lease ran out
    assert taken is not None and taken.lease_owner == "two"
    # The poller that lost the lease cannot overwrite the new holder's result.
    assert not state.record_error(feed.id, "one", polled_at=now + 40, next_poll_at=now + 100, error="late")
    assert state.record_error(feed.id, "two", polled_at=now + 40, next_poll_at=now + 100, error="HTTP 500")
    assert state.get(feed.id).last_error == "HTTP 500"  # type: ignore[union-attr]
