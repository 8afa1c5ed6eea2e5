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


def searched(
    *, asks_latest: bool = True, since: datetime | None = None, newest: datetime | None = None
) -> RetrievalResult:
    """What a question found, asked on 2025-09-04 of an archive whose newest article is from ``newest`` (by
    default the day before)."""
    as_of = datetime(2025, 9, 4, tzinfo=UTC)
    return RetrievalResult(
        passages=[],
        as_of=as_of,
        since=since,
        until=as_of,
        prefer_recent=True,
        asks_latest=asks_latest,
        newest_published=newest or datetime(2025, 9, 3, tzinfo=UTC),
    )


def test_every_cited_article_older_than_the_window_gives_their_days() -> None:
    old = [cited("2023-02-07T10:00:00+00:00"), cited("2022-12-27T08:00:00+00:00")]
    assert only_older(old, date(2025, 9, 4), days=180) == "2022-12-27, 2023-02-07"


def test_one_recent_or_undated_article_keeps_the_answer() -> None:
    assert only_older([cited("2023-02-07"), cited("2025-08-30")], date(2025, 9, 4), days=180) is None
    assert only_older([cited("2023-02-07"), cited("")], date(2025, 9, 4), days=180) is None


def test_recently_asks_for_articles_of_the_archive_s_last_year() -> None:
    assert old_news(searched(), [cited("2025-01-10")]) is None
    assert old_news(searched(), [cited("2024-06-01")]) == (
        "the question asks about recent news, up to 2025-09-03; the cited articles are from 2024-06-01"
    )


def test_old_is_counted_from_the_archive_s_newest_article_not_the_calendar() -> None:
    # An archive that stopped growing in 2023 still answers "recently" about its own last weeks.
    assert old_news(searched(newest=datetime(2023, 3, 1, tzinfo=UTC)), [cited("2023-02-07")]) is None


def test_a_question_naming_no_time_or_a_window_of_its_own_is_left_alone() -> None:
    # "who sent peacekeepers?" of a 2022 report, with 2025 news beside it, is a question about an old story.
    assert old_news(searched(asks_latest=False), [cited("2022-01-11")]) is None
    window = searched(since=datetime(2019, 1, 1, tzinfo=UTC))
    assert old_news(window, [cited("2019-02-01")]) is None
