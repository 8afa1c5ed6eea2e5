"""Hybrid retrieval as a reader sees it: filters, as-of, relative time, outlets, diversity, sentences."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest.embedding import Embedder
from ingest.lexical import LexicalFollower
from ingest.store import ArchiveStore
from service.retrieval.hybrid import HybridRetriever
from service.retrieval.lexical import LexicalSearch
from service.retrieval.time_hints import read_time_hint

pytestmark = pytest.mark.slow
UTC = UTC


def titles(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.article.title for p in result.passages]


def test_a_rare_name_is_found_by_the_lexical_index(news_store: ArchiveStore, news_lexical: LexicalSearch) -> None:
    hits = news_lexical.search("Piet Nolan", k=3)
    assert hits and news_store.get_article(hits[0].article_id).title == "Zorbix chief executive resigns"  # type: ignore[union-attr]


def test_the_seed_passage_on_peacekeepers_ranks_first(retriever: HybridRetriever) -> None:
    result = retriever.retrieve("who sent peacekeepers?")
    best = result.passages[0]
    assert "Collective Security Treaty Organization" in best.text
    top_sentence = max(best.sentences, key=lambda s: s.score)
    assert "peacekeepers" in top_sentence.text
    assert best.article.text[top_sentence.start : top_sentence.end] == top_sentence.text


def test_articles_published_after_as_of_are_invisible(retriever: HybridRetriever) -> None:
    later = retriever.retrieve("when did the tram line open to passengers?")
    assert "Tram line opens to passengers" in titles(later)
    earlier = retriever.retrieve("when did the tram line open to passengers?", as_of=datetime(2024, 12, 31, tzinfo=UTC))
    assert "Tram line opens to passengers" not in titles(earlier)
    assert all(p.published_at is None or p.published_at <= datetime(2024, 12, 31, tzinfo=UTC) for p in earlier.passages)


def test_this_week_narrows_to_the_week_before_as_of(retriever: HybridRetriever) -> None:
    result = retriever.retrieve("Who runs Zorbix Corp this week?", as_of=datetime(2024, 3, 12, tzinfo=UTC))
    assert result.since is not None and result.since.date().isoformat() == "2024-03-04"
    assert titles(result)[0] == "Zorbix chief executive resigns"
    assert "Zorbix Corp names a new chief executive" not in titles(result)


def test_an_empty_window_widens_but_still_prefers_recent_news(retriever: HybridRetriever) -> None:
    result = retriever.retrieve("Who runs Zorbix Corp this week?", as_of=datetime(2024, 6, 1, tzinfo=UTC))
    assert result.passages and result.prefer_recent
    assert titles(result)[0] == "Zorbix chief executive resigns"


def test_relative_phrases_are_read_against_as_of() -> None:
    as_of = datetime(2024, 3, 12, 12, tzinfo=UTC)
    assert read_time_hint("what happened yesterday?", as_of).since == datetime(2024, 3, 10, 12, tzinfo=UTC)
    assert read_time_hint("the latest on the strike", as_of).prefer_recent
    assert read_time_hint("the latest on the strike", as_of).since is None
    assert read_time_hint("who won the match last month?", as_of).since == datetime(2024, 1, 10, 12, tzinfo=UTC)


def test_a_question_naming_no_time_prefers_the_latest_news_and_one_naming_a_year_or_month_does_not() -> None:
    as_of = datetime(2024, 3, 12, 12, tzinfo=UTC)
    assert read_time_hint("who won the world series?", as_of).prefer_recent
    assert not read_time_hint("who won the world series in 2023?", as_of).prefer_recent
    assert not read_time_hint("what did the council decide in May?", as_of).prefer_recent
    assert read_time_hint("who won the world series?", as_of).since is None
    assert read_time_hint("who may run for mayor?", as_of).prefer_recent  # "may" the verb names no month


def test_an_old_report_is_marked_less_timely_only_when_the_question_asks_about_now(retriever: HybridRetriever) -> None:
    as_of = datetime(2024, 3, 12, tzinfo=UTC)
    now = {p.article.title: p.timeliness for p in retriever.retrieve("Who runs Zorbix Corp?", as_of=as_of).passages}
    assert now["Zorbix chief executive resigns"] > 0.9  # published the day before
    assert now["Zorbix Corp names a new chief executive"] < 0.55  # fourteen months before

    then = retriever.retrieve("Who ran Zorbix Corp in January 2023?", as_of=as_of).passages
    assert then and all(p.timeliness == 1.0 for p in then)


def test_source_filters_and_outlet_names_in_the_question_narrow_outlets(retriever: HybridRetriever) -> None:
    only_bay = retriever.retrieve("Zorbix chief executive", sources=["Bay Post"])
    assert {p.article.source for p in only_bay.passages} == {"Bay Post"}
    hinted = retriever.retrieve("According to the Harbour Times, who leads Zorbix?")
    assert hinted.sources == ["Harbour Times"]
    assert {p.article.source for p in hinted.passages} == {"Harbour Times"}


def test_since_and_until_bound_publication_dates(retriever: HybridRetriever) -> None:
    result = retriever.retrieve(
        "Zorbix chief executive", since=datetime(2024, 1, 1, tzinfo=UTC), until=datetime(2024, 12, 31, tzinfo=UTC)
    )
    assert result.passages
    assert all(
        datetime(2024, 1, 1, tzinfo=UTC) <= p.published_at <= datetime(2024, 12, 31, tzinfo=UTC)
        for p in result.passages
    )  # type: ignore[operator]


def test_dense_search_within_a_narrow_window_finds_the_same_passages_without_the_index(
    retriever: HybridRetriever, news_store: ArchiveStore, embedder: Embedder
) -> None:
    """With the index caught up, a window's articles are named by it and their chunks ranked exactly; a
    retriever whose index cannot vouch for the archive leaves the window to Chroma's filter: same passages."""
    window = {"since": datetime(2024, 1, 1, tzinfo=UTC), "until": datetime(2024, 6, 30, tzinfo=UTC)}
    assert retriever.lexical.window(max_chunks=500, **window) is not None  # type: ignore[arg-type]
    unread = LexicalFollower(retriever.lexical.index, news_store)  # never caught up in this process
    assert LexicalSearch(unread).window(max_chunks=500, **window) is None  # type: ignore[arg-type]
    by_filter = HybridRetriever(news_store, embedder, LexicalSearch(unread))
    for question in ["Zorbix chief executive", "when did the tram line open to passengers?"]:
        exact = retriever.retrieve(question, using="dense", **window)  # type: ignore[arg-type]
        filtered = by_filter.retrieve(question, using="dense", **window)  # type: ignore[arg-type]
        assert exact.passages, question
        assert [(p.article.id, p.start) for p in exact.passages] == [
            (p.article.id, p.start) for p in filtered.passages
        ], question


def test_syndicated_copies_collapse_into_the_earliest(retriever: HybridRetriever) -> None:
    result = retriever.retrieve("Which lighthouse did the earthquake damage?")
    quake = [p for p in result.passages if "lighthouse" in p.text]
    assert len(quake) == 1
    assert quake[0].article.source == "Wire Service"
    assert quake[0].also_in


def test_evidence_comes_from_several_articles(retriever: HybridRetriever) -> None:
    result = retriever.retrieve("Kazakhstan peacekeepers terrorists", k=8)
    per_article: dict[str, int] = {}
    for p in result.passages:
        per_article[p.article.id] = per_article.get(p.article.id, 0) + 1
    assert max(per_article.values()) <= 2
    assert len(per_article) > 1
