"""The dates a search covers: ``since`` and ``until`` as typed, read as whole days, and checked.

A bare date names a whole day (UTC): ``since`` starts at its midnight and ``until`` and ``as_of``
end at its last second, so ``--since 2022-01-10 --until 2022-01-10`` finds that day's articles.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from datetime import time as clock

__all__ = ["Day", "empty_window", "end_of", "start_of"]

# A day as a filter names it: a bare date (the whole day) or a moment.
Day = date | datetime


def end_of(value: Day | None) -> datetime | None:
    """A date means the whole of that day (UTC); datetimes are kept, made time-zone aware."""
    return None if value is None else _last_moment(value)


def start_of(value: Day | None) -> datetime | None:
    """A date means from the start of that day (UTC)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, clock(0, 0), tzinfo=UTC)


def empty_window(since: Day | None, until: Day | None, as_of: Day | None = None) -> str | None:
    """Why no article could match these filters (``since`` after ``until`` or after ``as_of``), or None.

    Such filters are a typing slip, not a question the archive fails to answer, so callers refuse
    them as bad input instead of searching and declining.
    """
    start = start_of(since)
    if start is None:
        return None
    if until is not None and start > _last_moment(until):
        return f"since ({_day(since)}) is after until ({_day(until)}): no article can be in between"
    if as_of is not None and start > _last_moment(as_of):
        return f"since ({_day(since)}) is after as_of ({_day(as_of)}): no article can be in between"
    return None


def _last_moment(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, clock(23, 59, 59), tzinfo=UTC)


def _day(value: Day | None) -> str:
    return value.isoformat() if value is not None else ""
