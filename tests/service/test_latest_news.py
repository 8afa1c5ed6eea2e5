"""A question about the latest news is not answered from old articles alone."""

from __future__ import annotations

from datetime import date

from ingest.models import ArticleRecord
from service.answer.latest_news import only_older
from service.answer.models import Citation


def cited(published_at: str) -> Citation:
    """A citation of an article published at ``published_at`` ("" when its date is unknown)."""
    record = ArticleRecord(id="a1b2c3d4", title="t", source="s", authors=[], published_at=published_at, url=None)
    return Citation(n=1, id="a1b2c3d4:0-5", quote="Quote", start=0, end=5, article=record)


def test_every_cited_article_older_than_the_window_gives_their_days() -> None:
    old = [cited("2023-02-07T10:00:00+00:00"), cited("2022-12-27T08:00:00+00:00")]
    assert only_older(old, date(2025, 9, 4), days=180) == "2022-12-27, 2023-02-07"


def test_one_recent_or_undated_article_keeps_the_answer() -> None:
    assert only_older([cited("2023-02-07"), cited("2025-08-30")], date(2025, 9, 4), days=180) is None
    assert only_older([cited("2023-02-07"), cited("")], date(2025, 9, 4), days=180) is None
