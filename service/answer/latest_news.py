"""Answers to a question about the latest news that rest only on old articles.

"Which country recently experienced a devastating 6.0-magnitude earthquake?", asked in September 2025
of an archive without that week's reports, finds "Turkey earthquake damage: ... 7.8 magnitude quake"
from February 2023: a true sentence about another event. A question that asks for the latest news in
so many words ("recently", "currently", "the latest"; ``TimeHint.asks_latest``) and is answered only
from articles published long before its ``as_of`` answers another time, and is declined. An article
without a date keeps the answer: nothing says it is old.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from service.answer.models import Citation

__all__ = ["STALE_FOR_LATEST_DAYS", "only_older"]

# On the 180 RealTime QA dev questions (2026-12-08) 180 days declined 7 wrong answers and one right one
# ("Bitcoin" from an article seven months old); the reports "recently" asks about are days or weeks old.
STALE_FOR_LATEST_DAYS = 180


def only_older(citations: Sequence[Citation], as_of: date, days: int = STALE_FOR_LATEST_DAYS) -> str | None:
    """The publication days of the cited articles, when every one is more than ``days`` before ``as_of``;
    None when any is newer or undated (the answer may stand)."""
    published: list[date] = []
    for citation in citations:
        if not citation.article.published_at:
            return None
        published.append(datetime.fromisoformat(citation.article.published_at).date())
    if not published or any(day >= as_of - timedelta(days=days) for day in published):
        return None
    return ", ".join(sorted({day.isoformat() for day in published}))
