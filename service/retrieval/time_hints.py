"""Relative time in a question ("this week", "yesterday", "latest"), read against ``as_of``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from service.answer.wordlists import word_set

# Phrase -> how far back from as_of the window opens (None: no window, just prefer recent).
# News about a day is published that day or the next, so windows run up to as_of itself.
_WINDOWS: list[tuple[re.Pattern[str], timedelta]] = [
    (re.compile(r"\b(today|tonight|this morning|this afternoon|this evening)\b", re.I), timedelta(days=1)),
    (re.compile(r"\byesterday\b", re.I), timedelta(days=2)),
    (re.compile(r"\b(this|the past|the last) week\b|\bthis weekend\b", re.I), timedelta(days=8)),
    (re.compile(r"\blast week(end)?\b", re.I), timedelta(days=15)),
    (re.compile(r"\b(this|the past|the last) month\b", re.I), timedelta(days=32)),
    (re.compile(r"\blast month\b", re.I), timedelta(days=62)),
    (re.compile(r"\b(this|the past|the last) year\b", re.I), timedelta(days=366)),
    (re.compile(r"\blast year\b", re.I), timedelta(days=731)),
]
_RECENT = re.compile(
    r"\b(latest|most recent(ly)?|newest|recent(ly)?|currently|current|now|so far|this (week|month|year)"
    r"|today|yesterday)\b",
    re.I,
)


@dataclass(frozen=True)
class TimeHint:
    """The window a question's wording implies, and whether it asks for the newest news."""

    since: datetime | None
    prefer_recent: bool
    phrase: str | None = None
    # The wording asks for the latest news without a window of its own ("recently", "currently", "latest"):
    # an answer only from old articles answers another time.
    asks_latest: bool = False


# A year of the modern news era, written out ("2023", not "23").
YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
_WORD = re.compile(r"[^\W\d_]+")
# "may" is a month only where a date would stand: "in May", "May 5", never "who may run?".
_MAY_THE_MONTH = re.compile(r"\b(?:in|since|until|by|last|next|this|early|late|mid-?)\s+may\b|\bmay\s+\d", re.I)


def _names_a_time(question: str) -> bool:
    """Whether the question names a year or a month: it then asks about its own time, not the latest news."""
    months = word_set("months") - {"may"}
    return bool(
        YEAR.search(question)
        or months.intersection(w.lower() for w in _WORD.findall(question))
        or _MAY_THE_MONTH.search(question)
    )


def read_time_hint(question: str, as_of: datetime) -> TimeHint:
    """The date window and recency preference implied by ``question``, relative to ``as_of``.

    A question that names no time of its own asks about the news as of ``as_of`` ("who won the
    World Series?" asked in November means this year's): newer reports are preferred.
    """
    prefer_recent = bool(_RECENT.search(question)) or not _names_a_time(question)
    for pattern, back in _WINDOWS:
        found = pattern.search(question)
        if found:
            return TimeHint(since=as_of - back, prefer_recent=True, phrase=found.group(0))
    return TimeHint(since=None, prefer_recent=prefer_recent, asks_latest=bool(_RECENT.search(question)))
