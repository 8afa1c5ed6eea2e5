"""``--every`` intervals and the backoff after errors."""

from __future__ import annotations

import pytest

from ingest.feeds import IntervalError, parse_every
from ingest.feeds.schedule import backoff_delay
from ingest.feeds.state import FeedError, FeedState


@pytest.mark.parametrize(
    ("text", "seconds"), [("15m", 900), ("90s", 90), ("1h", 3600), ("1d", 86400), ("120", 120), ("2.5m", 150)]
)
def test_intervals_read_in_seconds_minutes_hours_and_days(text: str, seconds: float) -> None:
    assert parse_every(text, minimum_s=60) == seconds


@pytest.mark.parametrize("text", ["soon", "15 minutes", "-5m", "", "1w"])
def test_anything_else_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(IntervalError, match="not an interval: use e.g. 90s, 15m"):
        parse_every(text, minimum_s=60)


def test_an_interval_under_the_minimum_is_refused_naming_the_setting() -> None:
    with pytest.raises(IntervalError, match="NEWSDESK_FEED_MIN_EVERY_S"):
        parse_every("5s", minimum_s=60)


def test_backoff_doubles_from_the_interval_up_to_the_cap_and_never_polls_sooner() -> None:
    assert [backoff_delay(60, n, cap_s=1000) for n in range(1, 6)] == [120, 240, 480, 960, 1000]
    assert backoff_delay(3600, 3, cap_s=600) == 3600  # a cap below the interval never shortens it
    assert backoff_delay(60, 10_000, cap_s=21600) == 21600


def test_a_feed_is_an_http_url_and_an_id_is_12_hex_characters(tmp_path: pytest.TempPathFactory) -> None:
    state = FeedState(tmp_path / "feeds.sqlite3")  # type: ignore[operator]
    for bad in ("/etc/passwd", "file:///etc/passwd", "ftp://news.example/feed", "http://"):
        with pytest.raises(FeedError, match="http or https URL"):
            state.add(bad, every_s=60, now=0)
    with pytest.raises(FeedError, match="not a feed id"):
        state.remove("../../x")
    feed, created = state.add(" http://news.example/feed.xml ", every_s=60, now=0)
    again, created_again = state.add("http://news.example/feed.xml", every_s=120, now=5, source="News")
    assert created and not created_again and again.id == feed.id
    assert (again.every_s, again.source, again.added_at) == (120, "News", 0)
    assert state.remove(feed.id) and not state.remove(feed.id)
