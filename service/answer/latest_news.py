"""Answers to a question about the latest news that rest only on old articles.

"Which country recently experienced a devastating 6.0-magnitude earthquake?", asked in September 2025
of an archive without that week's reports, finds "Turkey earthquake damage: ... 7.8 magnitude quake"
from February 2023: a true sentence about another event. A question that asks for the latest news in
so many words ("recently", "currently", "the latest"; ``TimeHint.asks_latest``) and is answered only
from articles published more than :data:`LATEST_DAYS` before the archive's latest news (its newest
article up to the question's ``as_of``) answers another time, and is declined. An article without a
date keeps the answer: nothing says it is old.

A question that names no time is left alone, however old its articles: the archive is also asked about
its old stories ("who sent peacekeepers?" of a 2022 report, with 2025 news beside it). Declining those
after two years was tried on dev (2026-12-08): it declined 10 wrong answers and 2 right ones there, and
the seed question beside newer news.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from service.answer.models import Citation
from service.retrieval.evidence import RetrievalResult

__all__ = ["LATEST_DAYS", "old_news", "only_older"]

# The reports "recently" asks about are days or weeks old, but an archive's nearest story may be months old and
# still give the right answer. On the RealTime QA dev questions (2026-12-08, README "Old news") 180 days also
# declined two right answers from articles six and seven months old (a lunar eclipse, Bitcoin); a year declines
# none of them and 6 of the 7 wrong ones.
LATEST_DAYS = 365


def old_news(result: RetrievalResult, citations: Sequence[Citation]) -> str | None:
    """Why the answer is declined as old news (a note naming the cited articles' days), or None when it stands.

    Old is counted back from the archive's latest news (``result.newest_published``), so an archive that
    stopped growing a year ago still answers about its own last weeks. A window of the caller's or the
    wording's own (``since``, ``until``, "this week") already bounds the articles, so the rule leaves it alone.
    """
    if not result.asks_latest or result.newest_published is None:
        return None
    if result.since is not None or result.until is not None and result.until < result.as_of:
        return None
    latest = min(result.as_of, result.newest_published).date()
    days = only_older(citations, latest, LATEST_DAYS)
    return f"the question asks about recent news, up to {latest}; the cited articles are from {days}" if days else None


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
