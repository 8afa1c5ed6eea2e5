"""Answers to a question about the news of its day that rest only on old articles.

"Which country recently experienced a devastating 6.0-magnitude earthquake?", asked in September 2025
of an archive without that week's reports, finds "Turkey earthquake damage: ... 7.8 magnitude quake"
from February 2023: a true sentence about another event. A question answered only from articles
published long before its ``as_of`` answers another time, and is declined:

- one that asks for the latest news in so many words ("recently", "currently", "the latest";
  ``TimeHint.asks_latest``) when every cited article is more than :data:`LATEST_DAYS` old;
- one that names no time of its own (it asks about the news of its day, as
  :mod:`service.answer.other_years` reads it too) when every cited article is more than
  :data:`UNDATED_DAYS` old, unless it asks "when" or is answered with a year: an old date is then the
  answer ("when did the Berlin Wall fall?").

An article without a date keeps the answer: nothing says it is old.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from service.answer.models import Citation
from service.answer.question_types import classify
from service.retrieval.evidence import RetrievalResult
from service.retrieval.time_hints import YEAR

__all__ = ["LATEST_DAYS", "UNDATED_DAYS", "old_news", "only_older"]

# Measured on the 180 RealTime QA dev questions (2026-12-08, README "Old news"). The reports "recently"
# asks about are days or weeks old; a question naming no time allows what other_years allows, about two years.
LATEST_DAYS = 180
UNDATED_DAYS = 730


def old_news(
    question: str, result: RetrievalResult, citations: Sequence[Citation], short_answer: str | None
) -> str | None:
    """Why the answer is declined as old news (a note naming the cited articles' days), or None when it stands.

    ``result`` says what the question's wording asked for; a window of the caller's or the wording's own
    (``since``, ``until``, "this week") already bounds the articles, so the rule leaves it alone.
    """
    if result.since is not None or result.until is not None and result.until < result.as_of:
        return None
    as_of = result.as_of.date()
    if result.asks_latest:
        days = only_older(citations, as_of, LATEST_DAYS)
        return f"the question asks about recent news; the cited articles are from {days}" if days else None
    if not result.prefer_recent or classify(question).wh == "when" or YEAR.search(short_answer or ""):
        return None
    days = only_older(citations, as_of, UNDATED_DAYS)
    if days is None:
        return None
    asked = as_of.isoformat()
    return f"the question names no time, so it asks about the news of {asked}; the cited articles are from {days}"


def only_older(citations: Sequence[Citation], as_of: date, days: int) -> str | None:
    """The publication days of the cited articles, when every one is more than ``days`` before ``as_of``;
    None when any is newer or undated."""
    published: list[date] = []
    for citation in citations:
        if not citation.article.published_at:
            return None
        published.append(datetime.fromisoformat(citation.article.published_at).date())
    if not published or any(day >= as_of - timedelta(days=days) for day in published):
        return None
    return ", ".join(sorted({day.isoformat() for day in published}))
