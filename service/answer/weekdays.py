"""A weekday answer placed on the calendar by the date of the report that gives it.

News writes "talks resume on Monday" and "crews walked out on Thursday": the day is clear to a
reader of that day's paper, not to a journalist reading the archive months later. The short answer
keeps the report's word and adds the date it means: "Monday (11 March 2024)".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from service.answer.models import Citation
from service.answer.wordlists import entries, word_set

__all__ = ["dated_by_citations", "dated_weekday", "names_a_weekday"]

# Monday first, as ``date.weekday()`` counts.
_WEEKDAYS = entries("weekdays")
# Words that put the sentence's event after its report ("will resume on Monday", "is set to ...").
_AHEAD = re.compile(
    r"\b(?:will|would|shall|set to|due to|expected to|scheduled|plans? to|planned|is to|are to|next)\b", re.IGNORECASE
)
_WORD = re.compile(r"[^\W\d_]+")


def names_a_weekday(text: str) -> bool:
    """ "Monday", "on Monday", "next Tuesday": a day a reader places from the report's own date."""
    return any(w.lower() in _WEEKDAYS for w in _WORD.findall(text))


def dated_by_citations(answer: str | None, citations: Sequence[Citation]) -> str | None:
    """``answer`` dated (``dated_weekday``) by the first cited report whose quote writes it, whichever
    answerer gave it; any other answer as it is."""
    if not answer or not names_a_weekday(answer):
        return answer
    said = next((c for c in citations if answer in c.quote), None)
    if said is None or not said.article.published_at:
        return answer
    return dated_weekday(answer, said.quote, datetime.fromisoformat(said.article.published_at))


def dated_weekday(answer: str, sentence: str, published: datetime | date | None) -> str:
    """``answer`` with the date it means, when it names a weekday and nothing more precise:
    the next such day after the report when the sentence looks ahead, else the last one on or
    before it. Any other answer, or one without a report date, is returned as it is."""
    words = [w.lower() for w in _WORD.findall(answer)]
    days = [w for w in words if w in _WEEKDAYS]
    if published is None or len(days) != 1 or any(ch.isdigit() for ch in answer):
        return answer
    if any(w in word_set("months") for w in words):
        return answer
    day = published.date() if isinstance(published, datetime) else published
    target = _WEEKDAYS.index(days[0])
    if _AHEAD.search(sentence):
        meant = day + timedelta(days=(target - day.weekday() - 1) % 7 + 1)
    else:
        meant = day - timedelta(days=(day.weekday() - target) % 7)
    return f"{answer} ({meant.day} {meant:%B %Y})"
