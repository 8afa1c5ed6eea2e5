"""Turn the many ways news sources write a date into one ``datetime``.

Accepted: ISO 8601 (``2022-01-11T00:18:00+05:30``, ``...Z``), ``YYYY/MM/DD``, RFC 2822
(``Tue, 11 Jan 2022 00:18:00 +0530``), prose dates (``Jan 11, 2022, 12:18 AM IST``,
``11 January 2022``, ``March 18, 2025, 4:08 p.m. ET``), labelled dates (``First Published ...``,
``Updated: ...``) and Unix epochs (seconds, or milliseconds when larger than 10**11), as numbers
or digit strings of 9 to 13 digits.

Decisions:

- Time zones: numeric offsets and the abbreviations in ``TZ_ABBREVIATIONS`` are honoured.
  Ambiguous abbreviations take their usual newsroom meaning: IST is India (+05:30), CST is US
  Central, BST is British Summer Time. ``ET``/``CT``/``MT``/``PT`` follow US daylight saving for
  the date in question. An unknown abbreviation leaves the time naive rather than guessing.
- Naive stays naive: a date without a zone is returned without one; the store reads naive as UTC.
  Epochs are UTC by definition and come back aware.
- Missing parts: a missing day or month becomes 1 (``March 2024`` is 2024-03-01), a missing
  time is midnight. A missing *year* is an error: "Jan 11" could be any year, and a journalist's
  archive must not invent one. Slash dates with two-digit day and month are month-first (US).
- Unparseable strings raise ``DateParseError``. Readers treat an explicit, unparseable date field
  as a failure of that item ("unparseable date 'xyz'") instead of storing the article undated,
  so that no date is ever silently lost.
"""

from __future__ import annotations

import math
import re
import warnings
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser

__all__ = ["TZ_ABBREVIATIONS", "DateParseError", "parse_date"]


class DateParseError(ValueError):
    """A date string that could not be understood; the message quotes it."""


def _fixed(hours: float) -> timezone:
    return timezone(timedelta(minutes=round(hours * 60)))


def _zone(name: str, fallback_hours: float) -> tzinfo:
    # Slim container images can lack the system tz database; a fixed offset is the
    # next best thing (wrong by an hour in half the year only for the US "ET"-style names).
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _fixed(fallback_hours)


TZ_ABBREVIATIONS: dict[str, tzinfo] = {
    "UTC": UTC,
    "GMT": UTC,
    "Z": UTC,
    "UT": UTC,
    "WET": UTC,
    "BST": _fixed(1),
    "IST": _fixed(5.5),
    "WEST": _fixed(1),
    "CET": _fixed(1),
    "CEST": _fixed(2),
    "MET": _fixed(1),
    "MEST": _fixed(2),
    "EET": _fixed(2),
    "EEST": _fixed(3),
    "MSK": _fixed(3),
    "EST": _fixed(-5),
    "EDT": _fixed(-4),
    "CST": _fixed(-6),
    "CDT": _fixed(-5),
    "MST": _fixed(-7),
    "MDT": _fixed(-6),
    "PST": _fixed(-8),
    "PDT": _fixed(-7),
    "AKST": _fixed(-9),
    "AKDT": _fixed(-8),
    "HST": _fixed(-10),
    "ET": _zone("America/New_York", -5),
    "CT": _zone("America/Chicago", -6),
    "MT": _zone("America/Denver", -7),
    "PT": _zone("America/Los_Angeles", -8),
    "JST": _fixed(9),
    "KST": _fixed(9),
    "HKT": _fixed(8),
    "SGT": _fixed(8),
    "PKT": _fixed(5),
    "AEST": _fixed(10),
    "AEDT": _fixed(11),
    "ACST": _fixed(9.5),
    "ACDT": _fixed(10.5),
    "AWST": _fixed(8),
    "NZST": _fixed(12),
    "NZDT": _fixed(13),
    "SAST": _fixed(2),
    "WAT": _fixed(1),
    "EAT": _fixed(3),
}

# Words in front of a date that only say what kind of date it is.
_LABEL = re.compile(
    r"^\s*(?:(?:first|last|originally)\s+)?(?:published|updated|posted|modified|dated|date)\b"
    r"(?:\s+(?:on|at)\b)?\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_AM_PM = re.compile(r"\b([ap])\.\s?m\.?(?=\W|$)", re.IGNORECASE)
_EPOCH_DIGITS = re.compile(r"^[+-]?\d{9,13}(?:\.\d+)?$")
_HAS_DIGIT = re.compile(r"\d")
_MIN_YEAR, _MAX_YEAR = 1800, 2200

# Two different defaults reveal which fields the string did not give.
_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2001, 1, 1)


def _from_epoch(value: float, raw: object) -> datetime:
    if not math.isfinite(value):
        raise DateParseError(f"unparseable date {raw!r}")
    seconds = value / 1000 if abs(value) > 1e11 else value
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise DateParseError(f"unparseable date {raw!r}: out of range") from exc


def _check_year(result: datetime, raw: object) -> datetime:
    if not _MIN_YEAR <= result.year <= _MAX_YEAR:
        raise DateParseError(f"unparseable date {raw!r}: year {result.year} out of range")
    return result


def parse_date(value: str | float | datetime | date | None) -> datetime | None:
    """Parse a date as news sources write it; ``None`` or a blank string gives ``None``.

    Returns an aware ``datetime`` when the value names a zone or offset, else a naive one.
    Raises ``DateParseError`` (a ``ValueError``) for anything that is not a date with a year.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise DateParseError(f"unparseable date {value!r}")
    if isinstance(value, int | float):
        return _check_year(_from_epoch(float(value), value), value)
    if not isinstance(value, str):
        raise DateParseError(f"unparseable date {value!r}")

    text = " ".join(value.split())
    if not text:
        return None
    if _EPOCH_DIGITS.match(text):
        return _check_year(_from_epoch(float(text), value), value)
    text = _LABEL.sub("", text, count=1)
    if not _HAS_DIGIT.search(text):
        raise DateParseError(f"unparseable date {value!r}")

    try:
        # fromisoformat is exact and fast for the commonest machine-written form.
        return _check_year(datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text), value)
    except ValueError:
        pass

    text = _AM_PM.sub(lambda m: m.group(1).upper() + "M", text)
    try:
        with warnings.catch_warnings():
            # An unknown zone name only warns; the result is then naive, which is what we want.
            warnings.simplefilter("ignore")
            first = dateutil_parser.parse(text, default=_DEFAULT_A, tzinfos=TZ_ABBREVIATIONS)
            second = dateutil_parser.parse(text, default=_DEFAULT_B, tzinfos=TZ_ABBREVIATIONS)
    except (ValueError, OverflowError, TypeError, AttributeError) as exc:
        raise DateParseError(f"unparseable date {value!r}") from exc
    if first.year != second.year:
        raise DateParseError(f"unparseable date {value!r}: no year")
    return _check_year(first, value)
