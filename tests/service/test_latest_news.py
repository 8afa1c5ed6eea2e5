"""A question about the latest news is not answered from old articles alone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ingest.models import ArticleRecord
from service.answer.latest_news import old_news, only_older
from service.answer.models import Citation
from service.retrieval.evidence import RetrievalResult


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


def searched(*, since: datetime | None = None, asks_latest: bool = False) -> RetrievalResult:
    """What a question naming no time of its own found, asked on 2025-09-04."""
    as_of = datetime(2025, 9, 4, tzinfo=UTC)
    return RetrievalResult(
        passages=[], as_of=as_of, since=since, until=as_of, prefer_recent=True, asks_latest=asks_latest
    )


def test_a_question_naming_no_time_is_declined_only_from_articles_over_two_years_old() -> None:
    assert old_news("Who won the award?", searched(), [cited("2024-01-10")], "Ada Lane") is None
    note = old_news("Who won the award?", searched(), [cited("2022-01-10")], "Ada Lane")
    assert (
        note
        == "the question names no time, so it asks about the news of 2025-09-04; the cited articles are from 2022-01-10"
    )


def test_an_old_date_may_answer_a_when_question_or_be_the_answer() -> None:
    assert old_news("When did the Berlin Wall fall?", searched(), [cited("2019-11-09")], "9 November 1989") is None
    assert old_news("Which year did the wall fall?", searched(), [cited("2019-11-09")], "1989") is None


def test_a_window_bounds_the_articles_itself() -> None:
    window = searched(since=datetime(2019, 1, 1, tzinfo=UTC))
    assert old_news("Who won the award?", window, [cited("2019-02-01")], "Ada Lane") is None


def test_recently_asks_for_articles_of_the_last_months() -> None:
    latest = searched(asks_latest=True)
    assert old_news("Who recently won the award?", latest, [cited("2025-06-01")], "Ada Lane") is None
    assert old_news("Who recently won the award?", latest, [cited("2025-01-10")], "Ada Lane") == (
        "the question asks about recent news; the cited articles are from 2025-01-10"
    )
