"""The archive's promises, in both store modes: idempotent re-ingest, updates, deletes, dedupe, crash safety."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from ingest.embedding import Embedder
from ingest.models import ArticleDraft, ReadFailure
from ingest.pipeline import Ingestor
from ingest.settings import IngestSettings
from ingest.store import ArchiveStore, open_store
from ingest.store.archive import ArticleVersion
from ingest.store.changes import now_position
from ingest.store.filters import admits, article_filter

pytestmark = pytest.mark.slow

BODY = (
    "The city council voted on Tuesday to build a new tram line along the river. "
    "Construction is expected to start in the spring and cost 40 million euros. "
    "Opponents said the money would be better spent on buses.\n\n"
    "The mayor, Ana Ruiz, called the vote historic."
)


def draft(**overrides: object) -> ArticleDraft:
    base: dict[str, object] = {
        "origin": "test",
        "title": "Council approves river tram line",
        "text": BODY,
        "source": "Harbour Times",
        "authors": ["Lea Berg"],
        "published_at": datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=1))),
        "url": "https://harbourtimes.example/tram",
    }
    base.update(overrides)
    return ArticleDraft(**base)  # type: ignore[arg-type]


@pytest.fixture
def store(ingest_settings: IngestSettings, embedder: Embedder) -> ArchiveStore:
    return open_store(ingest_settings, embedder.name, embedder.dimension)


@pytest.fixture
def ingestor(ingest_settings: IngestSettings, store: ArchiveStore, embedder: Embedder) -> Ingestor:
    return Ingestor(ingest_settings, store, embedder)


def chunk_ids(store: ArchiveStore) -> list[str]:
    return sorted(store.chunks.get(include=[])["ids"])


def test_an_article_is_stored_with_its_metadata_and_chunks(ingestor: Ingestor, store: ArchiveStore) -> None:
    outcome = ingestor.ingest_one(draft())
    assert outcome.status == "created" and outcome.chunks >= 1
    article = store.get_article(outcome.id or "")
    assert article is not None
    assert article.title == "Council approves river tram line"
    assert article.authors == ["Lea Berg"] and article.source == "Harbour Times"
    assert article.published_at == datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    assert article.text == BODY
    for chunk, _ in store.iter_chunks():
        assert article.text[chunk.start : chunk.end] == chunk.text


def test_reingesting_an_unchanged_article_stores_nothing_new(ingestor: Ingestor, store: ArchiveStore) -> None:
    first = ingestor.ingest_one(draft())
    before = (chunk_ids(store), store.revision())
    again = ingestor.ingest([draft()])
    assert again.unchanged == 1 and again.new == 0 and again.chunks == 0
    assert again.items[0].id == first.id
    assert (chunk_ids(store), store.revision()) == before


def test_a_changed_article_replaces_its_chunks_with_no_stale_chunk_left(
    ingestor: Ingestor, store: ArchiveStore
) -> None:
    first = ingestor.ingest_one(draft())
    old = chunk_ids(store)
    changed = ingestor.ingest_one(draft(text=BODY.replace("40 million", "55 million")))
    assert changed.status == "updated" and changed.id == first.id
    new = chunk_ids(store)
    assert set(new).isdisjoint(old)
    assert store.count() == {"articles": 1, "chunks": changed.chunks}
    texts = " ".join(c.text for c, _ in store.iter_chunks())
    assert "55 million" in texts and "40 million" not in texts


def test_deleting_an_article_removes_it_and_all_its_chunks(ingestor: Ingestor, store: ArchiveStore) -> None:
    kept = ingestor.ingest_one(
        draft(url="https://harbourtimes.example/other", title="Other", text="A different story about ferries.")
    )
    gone = ingestor.ingest_one(draft())
    assert store.delete_article(gone.id or "")
    assert store.get_article(gone.id or "") is None
    assert {c.article_id for c, _ in store.iter_chunks()} == {kept.id}
    assert store.chunks.get(where={"article_id": gone.id or ""}, include=[])["ids"] == []
    assert not store.delete_article(gone.id or "")


def test_the_same_text_under_a_second_url_is_stored_once_with_both_urls(
    ingestor: Ingestor, store: ArchiveStore
) -> None:
    first = ingestor.ingest_one(draft())
    second = ingestor.ingest_one(draft(url="https://syndication.example/tram-story"))
    assert second.status == "unchanged" and second.id == first.id
    assert store.count()["articles"] == 1
    article = store.get_article(first.id or "")
    assert article is not None
    assert article.urls == ["https://harbourtimes.example/tram", "https://syndication.example/tram-story"]


def test_articles_without_url_get_ids_from_title_and_text(ingestor: Ingestor) -> None:
    a = ingestor.ingest_one(draft(url=None))
    b = ingestor.ingest_one(draft(url=None, text=BODY + " More."))
    assert a.id != b.id and len(a.id or "") == 16


def test_bad_items_fail_alone_and_good_ones_are_stored(ingestor: Ingestor, store: ArchiveStore) -> None:
    summary = ingestor.ingest(
        [
            ReadFailure(origin="feed.xml#2", reason="feed entry without title or text"),
            draft(),
            draft(text="  ", url="https://x.example/empty"),
        ]
    )
    assert (summary.new, summary.failed) == (1, 2)
    assert [f.origin for f in summary.failures] == ["feed.xml#2", "test"]
    assert store.count()["articles"] == 1


def test_a_write_interrupted_before_its_commit_is_invisible_and_a_rerun_cleans_it(
    ingestor: Ingestor, store: ArchiveStore, embedder: Embedder
) -> None:
    ingestor.ingest_one(draft())
    # Simulate a run killed after writing the chunks of a new version but before its record.
    new_version = draft(text=BODY + " The tram will carry 20,000 people a day.")
    from ingest.pipeline import article_from_draft

    article = article_from_draft(new_version)
    chunks = ingestor.chunker.split(article)
    store._add_chunks([ArticleVersion(article, chunks, embedder.encode([c.text for c in chunks]))])
    visible = {c.text for c, _ in store.iter_chunks()}
    assert not any("20,000" in t for t in visible)
    hits = store.query_chunks(embedder.encode(["how many people will the tram carry"])[0], k=10)
    assert all("20,000" not in h.chunk.text for h in hits)
    # The rerun of the same ingest ends as one clean run would.
    ingestor.ingest([new_version])
    assert store.count() == {"articles": 1, "chunks": len(chunks)}
    assert any("20,000" in c.text for c, _ in store.iter_chunks())


def test_leftovers_of_an_interrupted_update_go_when_the_article_is_seen_again(
    ingestor: Ingestor, store: ArchiveStore, embedder: Embedder
) -> None:
    from ingest.pipeline import article_from_draft

    old = article_from_draft(draft())
    old_chunks = ingestor.chunker.split(old)
    current = ingestor.ingest_one(draft(text=BODY + " Updated."))
    # An older version's chunks left behind by a run killed between commit and clean-up.
    store._add_chunks([ArticleVersion(old, old_chunks, embedder.encode([c.text for c in old_chunks]))])
    assert store.chunks.count() == current.chunks + len(old_chunks)
    summary = ingestor.ingest([draft(text=BODY + " Updated.")])
    assert summary.unchanged == 1
    article = store.get_article(old.id)
    assert article is not None
    assert store.chunks.count() == article.chunk_count


def half_delete(store: ArchiveStore, article_id: str) -> None:
    """What a delete killed between its two steps leaves: the removal announced, the record gone, the chunks not."""
    store._feed.append([(article_id, None)])
    store.articles.delete(ids=[article_id])


def test_orphan_chunks_of_a_half_deleted_article_are_swept(ingestor: Ingestor, store: ArchiveStore) -> None:
    outcome = ingestor.ingest_one(draft())
    half_delete(store, outcome.id or "")
    assert store.sweep_orphans() == 1
    assert store.chunks.count() == 0
    assert store.sweep_orphans() == 0


def test_a_sweep_behind_the_trimmed_change_feed_checks_every_chunk(ingestor: Ingestor, store: ArchiveStore) -> None:
    outcome = ingestor.ingest_one(draft())
    store.sweep_orphans()
    store.articles.delete(ids=[outcome.id or ""])  # a loss the feed no longer names: its changes were trimmed
    store.trim_changes(now_position())
    assert store.sweep_orphans() == 1
    assert store.chunks.count() == 0


def test_an_article_deleted_then_stored_again_keeps_its_chunks(ingestor: Ingestor, store: ArchiveStore) -> None:
    outcome = ingestor.ingest_one(draft())
    assert store.delete_article(outcome.id or "")
    again = ingestor.ingest_one(draft())
    assert store.sweep_orphans() == 0
    assert store.chunks.count() == again.chunks > 0


def test_list_filters_by_outlet_and_date(ingestor: Ingestor, store: ArchiveStore) -> None:
    ingestor.ingest_one(draft())
    ingestor.ingest_one(
        draft(
            url="https://b.example/1",
            source="Bay Post",
            text="Ferries strike again.",
            published_at=datetime(2023, 1, 1, tzinfo=UTC),
        )
    )
    assert [a.source for a in store.list_articles()] == ["Harbour Times", "Bay Post"]
    assert [a.source for a in store.list_articles(sources=["Bay Post"])] == ["Bay Post"]
    assert [a.source for a in store.list_articles(since=datetime(2024, 1, 1, tzinfo=UTC))] == ["Harbour Times"]
    assert [a.source for a in store.list_articles(until=datetime(2023, 6, 1, tzinfo=UTC))] == ["Bay Post"]


def test_a_store_of_another_vector_size_is_refused(ingest_settings: IngestSettings, store: ArchiveStore) -> None:
    from ingest.store import StoreError

    with pytest.raises(StoreError, match="dimensional"):
        open_store(ingest_settings, "another-model", 768)


def test_search_ranks_the_relevant_passage_first(ingestor: Ingestor, store: ArchiveStore, embedder: Embedder) -> None:
    ingestor.ingest_one(draft())
    ingestor.ingest_one(
        draft(
            url="https://b.example/2",
            title="Heatwave grips the coast",
            text="Temperatures rose above 40 degrees and beaches were crowded all weekend.",
        )
    )
    hits = store.query_chunks(embedder.encode(["tram construction cost"])[0], k=2)
    assert hits[0].article.title == "Council approves river tram line"
    assert hits[0].score > hits[1].score
    assert np.isclose(np.linalg.norm(embedder.encode(["x"])[0]), 1.0, atol=1e-3)


def test_a_filtered_search_finds_the_same_chunks_whoever_applies_the_filter(
    ingestor: Ingestor, store: ArchiveStore, embedder: Embedder
) -> None:
    """Filtering the nearest chunks in Python (fast when most pass) or in Chroma gives one answer."""
    outlets = ["Harbour Times", "Bay Post", "Hill News"]
    for n in range(40):  # more chunks than the widened query fetches, so both of its outcomes occur
        ingestor.ingest_one(
            draft(
                url=f"https://news.example/{n}",
                title=f"Tram report {n}",
                source=outlets[n % 3],
                text=f"Report {n}: the tram line along the river will cost {10 + n} million euros. " + BODY,
                published_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=n),
            )
        )
    vector = embedder.encode(["what will the river tram cost"])[0]
    filters = [
        article_filter(until=datetime(2024, 1, 20, tzinfo=UTC)),  # most pass
        article_filter(sources=["Bay Post", "Hill News"], since=datetime(2024, 1, 3, tzinfo=UTC)),
        article_filter(sources=["Hill News"], until=datetime(2024, 1, 6, tzinfo=UTC)),  # two articles pass
    ]
    for where in filters:
        by_chroma = [(h.article.id, h.chunk.start) for h in store.query_chunks(vector, k=6, where=where)]
        assert by_chroma, where
        for share in (1.0, 0.75, 0.5, 0.2):  # Python filtering, with the estimate right or too high
            assert [
                (h.article.id, h.chunk.start) for h in store.query_chunks(vector, k=6, where=where, share=share)
            ] == by_chroma, (where, share)
        for hit in store.query_chunks(vector, k=6, where=where, share=1.0):
            assert admits(
                where, {"source": hit.article.source, "published_ts": int(hit.article.published_at.timestamp())}
            )  # type: ignore[union-attr]


def test_a_search_among_a_windows_articles_ranks_them_as_chromas_filter_does(
    ingestor: Ingestor, store: ArchiveStore, embedder: Embedder
) -> None:
    """The exact plan for a narrow window (its articles named by the caller) gives the filtered search's chunks,
    and an article the caller names wrongly (its list trails the store) is still held to the filter."""
    for n in range(12):
        ingestor.ingest_one(
            draft(
                url=f"https://news.example/{n}",
                title=f"Tram report {n}",
                text=f"Report {n}: the tram line along the river will cost {10 + n} million euros. " + BODY,
                published_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=n),
            )
        )
    vector = embedder.encode(["what will the river tram cost"])[0]
    since, until = datetime(2024, 1, 4, tzinfo=UTC), datetime(2024, 1, 7, tzinfo=UTC)
    where = article_filter(since=since, until=until)
    window = [a.id for a in store.list_articles(since=since, until=until, limit=50)]
    assert len(window) == 4
    by_chroma = store.query_chunks(vector, k=6, where=where)
    exact = store.query_chunks(vector, k=6, where=where, among=window)
    assert [(h.article.id, h.chunk.start) for h in exact] == [(h.article.id, h.chunk.start) for h in by_chroma]
    assert [h.score for h in exact] == pytest.approx([h.score for h in by_chroma], abs=1e-4)

    outside = [a.id for a in store.list_articles(until=datetime(2024, 1, 2, tzinfo=UTC), limit=50)]
    named_wrongly = store.query_chunks(vector, k=6, where=where, among=window[:1] + outside)
    assert named_wrongly and {h.article.id for h in named_wrongly} == {window[0]}
    assert store.query_chunks(vector, k=6, where=where, among=[]) == []


def test_one_url_twice_in_a_run_with_different_text_keeps_the_first_and_a_rerun_changes_nothing(
    ingestor: Ingestor, store: ArchiveStore
) -> None:
    run = [draft(), draft(text=BODY + " A later scrape of the same page.")]
    first = ingestor.ingest(run)
    assert (first.new, first.unchanged) == (1, 1)
    assert "earlier in this run" in (first.items[1].reason or "")
    revision = store.revision()
    again = ingestor.ingest(run)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert store.revision() == revision
    stored = store.get_article(first.items[0].id or "")
    assert stored is not None and stored.text == BODY


def test_an_ingest_run_clears_chunks_left_by_an_interrupted_delete(ingestor: Ingestor, store: ArchiveStore) -> None:
    gone = ingestor.ingest_one(draft())
    half_delete(store, gone.id or "")
    ingestor.ingest(
        [draft(url="https://harbourtimes.example/other", title="Other", text="A different story about ferries.")]
    )
    assert store.chunks.get(where={"article_id": gone.id or ""}, include=[])["ids"] == []
