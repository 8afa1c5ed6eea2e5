"""Reading dates typed on the command line."""

from __future__ import annotations

from datetime import datetime

import typer

from ingest.normalise.dates import DateParseError, parse_date
from service.retrieval.window import Day, empty_window


def option_date(value: str | None, option: str) -> datetime | None:
    """A date option such as ``2022-01-10`` or ``Jan 10, 2022``; a clear usage error otherwise."""
    if not value:
        return None
    try:
        return parse_date(value)
    except DateParseError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from exc


def option_day(value: str | None, option: str) -> Day | None:
    """Like ``option_date``, but a bare date ("2022-01-10") stays a date: the whole of that day."""
    parsed = option_date(value, option)
    if parsed is not None and parsed.tzinfo is None and parsed.time() == datetime.min.time():
        return parsed.date()
    return parsed


def option_window(
    since: str | None, until: str | None, as_of: str | None = None
) -> tuple[Day | None, Day | None, Day | None]:
    """``--since``, ``--until`` and ``--as-of`` as days; a usage error when no article could fall between them."""
    days = option_day(since, "--since"), option_day(until, "--until"), option_day(as_of, "--as-of")
    if problem := empty_window(*days):
        raise typer.BadParameter(problem, param_hint="--since")
    return days
