"""Dates as news sources write them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ingest.normalise.dates import DateParseError, parse_date

IST = timezone(timedelta(hours=5, minutes=30))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan 11, 2022, 12:18 AM IST", datetime(2022, 1, 11, 0, 18, tzinfo=IST)),
        ("First Published Jan 11, 2022, 12:18 AM IST", datetime(2022, 1, 11, 0, 18, tzinfo=IST)),
        ("2022-01-11T00:18:00+05:30", datetime(2022, 1, 11, 0, 18, tzinfo=IST)),
        ("2022-01-11T00:18:00Z", datetime(2022, 1, 11, 0, 18, tzinfo=UTC)),
        ("2022-01-11T00:18:00.000+0530", datetime(2022, 1, 11, 0, 18, tzinfo=IST)),
        ("Tue, 11 Jan 2022 00:18:00 +0530", datetime(2022, 1, 11, 0, 18, tzinfo=IST)),
        ("Mon, 06 Sep 2021 16:45:00 GMT", datetime(2021, 9, 6, 16, 45, tzinfo=UTC)),
        ("Published: 2024-03-01 10:00 UTC", datetime(2024, 3, 1, 10, 0, tzinfo=UTC)),
        ("Sat, 01 Jun 2024 10:00:00 BST", datetime(2024, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))),
        ("2024-03-01 10:00 CET", datetime(2024, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))),
        ("2024-07-01 10:00 CEST", datetime(2024, 7, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))),
        ("2024-03-01 10:00 PST", datetime(2024, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=-8)))),
        ("2024-03-01 10:00 EDT", datetime(2024, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=-4)))),
        ("2024-03-01 10:00 JST", datetime(2024, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=9)))),
        ("2024-03-01 10:00 AEDT", datetime(2024, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=11)))),
        ("2024-03-01 10:00 MSK", datetime(2024, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=3)))),
    ],
)
def test_dates_with_a_zone_keep_their_exact_offset(text: str, expected: datetime) -> None:
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11 January 2022", datetime(2022, 1, 11)),
        ("2022/01/11", datetime(2022, 1, 11)),
        ("2022-01-11", datetime(2022, 1, 11)),
        ("March 3, 2024", datetime(2024, 3, 3)),
        ("Updated Jan 2, 2023", datetime(2023, 1, 2)),
        ("May 2024", datetime(2024, 5, 1)),
    ],
)
def test_dates_without_a_zone_stay_naive(text: str, expected: datetime) -> None:
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is None


def test_us_eastern_time_follows_daylight_saving() -> None:
    summer = parse_date("March 18, 2025, 4:08 p.m. ET")
    winter = parse_date("January 18, 2025, 4:08 PM ET")
    assert summer is not None and summer.utcoffset() == timedelta(hours=-4)
    assert winter is not None and winter.utcoffset() == timedelta(hours=-5)
    assert (summer.hour, summer.minute) == (16, 8)


@pytest.mark.parametrize("value", [1641860280, 1641860280.0, "1641860280", 1641860280000])
def test_epoch_numbers_are_utc_seconds_or_milliseconds(value: object) -> None:
    assert parse_date(value) == datetime(2022, 1, 11, 0, 18, tzinfo=UTC)  # type: ignore[arg-type]


def test_missing_dates_are_none() -> None:
    assert parse_date(None) is None
    assert parse_date("") is None
    assert parse_date("   ") is None


def test_a_datetime_passes_through_unchanged() -> None:
    when = datetime(2022, 1, 11, 0, 18, tzinfo=IST)
    assert parse_date(when) is when


@pytest.mark.parametrize("text", ["xyz", "yesterday-ish", "Monday", "Jan 11", "2024-13-45", "12", "not a date 99"])
def test_unparseable_or_yearless_dates_raise_with_the_value_quoted(text: str) -> None:
    with pytest.raises(DateParseError) as error:
        parse_date(text)
    assert repr(text) in str(error.value)
    assert isinstance(error.value, ValueError)
