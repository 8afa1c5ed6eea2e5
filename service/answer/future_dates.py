"""Questions about what is still to come, and dates that had already passed when they were reported.

"When is her funeral?" or "when will he be back on the air?" asks for a date after the news that
prompts it. A date its own report places before its publication ("1977", "Sept. 15" in a story of
Sept. 18) answers a question about the past, never this one: the answerer passes over it, and with
no later date in the evidence, the archive does not hold the answer yet.
"""

from __future__ import annotations

import re
from datetime import datetime

from dateutil import parser as date_parser
from dateutil.parser import ParserError

from service.answer.wordlists import word_set
from service.retrieval.time_hints import YEAR

__all__ = ["asks_about_the_future", "before_its_report"]

# "when will", "when is", "when does": a date still to come (or fixed ahead); "when did/was" asks about the past.
_FUTURE_WHEN = re.compile(r"\bwhen\s+(?:will|is|are|does|do|'s|’s)\b|\bwhen\b.*\bwill\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")


def asks_about_the_future(question: str) -> bool:
    """Whether a "when" question asks for a date still to come ("when is her funeral?")."""
    return bool(_FUTURE_WHEN.search(question))


def before_its_report(date_text: str, published_at: datetime | None) -> bool:
    """Whether the date written ``date_text`` surely lies before ``published_at``, the day it was reported.

    A year alone is before only when it is an earlier year; a month and day without a year are read in
    the report's year. A date naming neither ("Monday", "the coming weeks") is not surely before.
    """
    if published_at is None:
        return False
    published = published_at.replace(tzinfo=None)
    years = [int(y) for y in YEAR.findall(date_text)]
    months = word_set("months")
    if not any(w.lower() in months for w in _WORD.findall(date_text)):
        return bool(years) and max(years) < published.year
    try:
        when = date_parser.parse(date_text, default=datetime(published.year, 1, 1), fuzzy=True)
    except (ParserError, ValueError, OverflowError):
        return False
    return when.date() < published.date()
