"""The lexical index beside the store: written as articles are, followed from the change feed elsewhere.

"Another server" here is another data folder on the same Chroma server, with its own index and
follower, exactly what a second ``newsdesk serve`` holds (tests/operations runs two real ones).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from chroma_process import ChromaServer
from typer.testing import CliRunner

import ingest.store.changes as changes_module
from ingest.embedding import Embedder
from ingest.lexical import LexicalFollower, LexicalIndex, attach_lexical_index, index_path
from ingest.lexical.index import LexicalFilter
from ingest.models import ArticleDraft
from ingest.pipeline import Ingestor, article_from_draft
from ingest.settings import IngestSettings
from ingest.store import ArchiveStore, open_store
from ingest.store.archive import ArticleVersion
from ingest.store.changes import now_position, seconds_to_positions
from service.cli.app import app

pytestmark = pytest.mark.slow


def draft(url: str, title: str, text: str, source: str = "Harbour Times", day: int = 5) -> ArticleDraft:
    return ArticleDraft(
        origin=url, url=url, title=title, text=text, source=source, published_at=datetime(2024, 3, day, tzinfo=UTC)
    )


FLOOD = draft("https://x.example/q", "Quintaville floods", "Quintaville flooded after the Ostrava dam broke.")


class Server:
    """One data folder's view of the shared archive: its store, ingest pipeline and lexical index."""

    def __init__(self, settings: IngestSettings, embedder: Embedder):
        self.store: ArchiveStore = open_store(settings, embedder.name, embedder.dimension)
        self.follower: LexicalFollower = attach_lexical_index(settings, self.store)
        self.ingestor = Ingestor(settings, self.store, embedder)

    def finds(self, query: str, **filters: object) -> list[str]:
        where = LexicalFilter(**filters)  # type: ignore[arg-type]
        return [h.article_id for h in self.follower.index.search(query, 5, where)]

    def texts(self, query: str) -> list[str]:
        return [h.text for h in self.follower.index.search(query, 5)]


@pytest.fixture
def shared(chroma_server: ChromaServer, tmp_path: Path, model_cache: Path) -> dict[str, object]:
    return {"chroma_url": chroma_server.url, "collection_prefix": "t" + os.urandom(4).hex(), "model_cache": model_cache}


@pytest.fixture
def writer(shared: dict[str, object], tmp_path: Path, embedder: Embedder) -> Server:
    return Server(IngestSettings(data_dir=tmp_path / "a", **shared), embedder)  # type: ignore[arg-type]


@pytest.fixture
def reader(shared: dict[str, object], tmp_path: Path, embedder: Embedder) -> Server:
    server = Server(IngestSettings(data_dir=tmp_path / "b", **shared), embedder)  # type: ignore[arg-type]
    server.follower.catch_up()  # a new index: built from the (empty) store
    return server


def test_an_article_written_through_one_server_is_found_by_lexical_search_on_the_other(
    writer: Server, reader: Server
) -> None:
    created = writer.ingestor.ingest_one(FLOOD)
    assert writer.finds("Quintaville") == [created.id]  # the writer's own index: at once
    assert reader.finds("Quintaville") == []  # the reader's: once it has caught up
    assert reader.follower.catch_up() >= 1
    assert reader.finds("Quintaville") == [created.id]


def test_an_update_replaces_the_old_text_and_a_delete_removes_it_on_both_servers(
    writer: Server, reader: Server
) -> None:
    created = writer.ingestor.ingest_one(FLOOD)
    rebuilt = draft(FLOOD.url or "", "Quintaville dam rebuilt", "Quintaville reopened its rebuilt Ostrava dam.")
    assert writer.ingestor.ingest_one(rebuilt).status == "updated"
    reader.follower.catch_up()
    for server in (writer, reader):
        assert server.finds("flooded broke") == []
        assert server.texts("Quintaville") == ["Quintaville reopened its rebuilt Ostrava dam."]
    assert writer.store.delete_article(created.id or "")
    reader.follower.catch_up()
    assert writer.finds("Quintaville") == [] and reader.finds("Quintaville") == []


def test_an_interrupted_write_is_never_found(writer: Server, reader: Server, embedder: Embedder) -> None:
    writer.ingestor.ingest_one(FLOOD)
    # A run killed after announcing and adding the chunks of a new version, before its commit point.
    article = article_from_draft(draft(FLOOD.url or "", "Quintaville floods", "Quintaville evacuated 900 households."))
    chunks = writer.ingestor.chunker.split(article)
    writer.store._feed.append([(article.id, article.content_hash)])
    writer.store._add_chunks([ArticleVersion(article, chunks, embedder.encode([c.text for c in chunks]))])
    reader.follower.catch_up()
    for server in (writer, reader):
        assert server.finds("evacuated households") == []
        assert server.texts("Quintaville") == ["Quintaville flooded after the Ostrava dam broke."]


def test_a_change_that_lands_late_is_still_applied(
    writer: Server, reader: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader.follower.catch_up()
    # A slow writer stamped its change 20 s before the reader's last catch-up (within the overlap).
    stamped = now_position() - seconds_to_positions(20)
    monkeypatch.setattr(changes_module, "now_position", lambda: stamped)
    created = writer.ingestor.ingest_one(FLOOD)
    monkeypatch.undo()
    reader.follower.catch_up()
    assert reader.finds("Quintaville") == [created.id]


def test_a_server_behind_the_trimmed_feed_repairs_from_the_store(writer: Server, reader: Server) -> None:
    created = writer.ingestor.ingest_one(FLOOD)
    writer.store.trim_changes(now_position())  # the change the reader needed is gone from the feed
    assert writer.store.changes_since(0)[0] == []
    reader.follower.catch_up()
    assert reader.finds("Quintaville") == [created.id]


def test_a_server_a_busy_day_behind_catches_up_through_every_change(writer: Server, reader: Server) -> None:
    reader.follower.catch_up()
    # More changes than one Chroma read returns (32,766) before the one the reader needs.
    writer.store._feed.append([(f"gone-{n}", None) for n in range(35_000)])
    created = writer.ingestor.ingest_one(FLOOD)
    assert reader.follower.catch_up() >= 35_001
    assert reader.finds("Quintaville") == [created.id]


def test_filters_run_inside_the_index(writer: Server) -> None:
    ids = {
        day: writer.ingestor.ingest_one(
            draft(f"https://x.example/{day}", f"Tram news {day}", f"Tram works, day {day}.", f"Outlet {day % 2}", day)
        ).id
        for day in (3, 4, 5, 6)
    }
    assert set(writer.finds("tram")) == set(ids.values())
    assert set(writer.finds("tram", sources=["Outlet 0"])) == {ids[4], ids[6]}
    assert set(writer.finds("tram", since=datetime(2024, 3, 5, tzinfo=UTC))) == {ids[5], ids[6]}
    assert set(writer.finds("tram", until=datetime(2024, 3, 4, 23, tzinfo=UTC))) == {ids[3], ids[4]}
    both = writer.finds("tram", sources=["Outlet 1"], until=datetime(2024, 3, 4, 23, tzinfo=UTC))
    assert both == [ids[3]]
    assert writer.follower.index.share(LexicalFilter(sources=["Outlet 1"])) == 0.5
    assert writer.follower.index.sources() == ["Outlet 0", "Outlet 1"]


def test_newsdesk_reindex_repairs_a_deleted_or_damaged_index(
    writer: Server, shared: dict[str, object], tmp_path: Path
) -> None:
    created = writer.ingestor.ingest_one(FLOOD)
    folder = index_path(tmp_path / "a", str(shared["collection_prefix"]))
    env = {
        "NEWSDESK_DATA_DIR": str(tmp_path / "a"),
        "NEWSDESK_CHROMA_URL": str(shared["chroma_url"]),
        "NEWSDESK_COLLECTION_PREFIX": str(shared["collection_prefix"]),
        "NEWSDESK_MODEL_CACHE": str(shared["model_cache"]),
    }

    def reindex() -> str:
        result = CliRunner().invoke(app, ["reindex", "--json"], env=env)
        assert result.exit_code == 0, result.output
        return result.output

    def found() -> list[str]:
        return [h.article_id for h in LexicalIndex(folder).search("Quintaville", 5)]

    (folder / "tantivy" / "meta.json").write_text("not an index")  # damaged
    assert '"recreated": "the lexical index' in reindex()
    assert found() == [created.id]

    for path in (folder / "tantivy").iterdir():  # its chunks deleted, its record of them kept
        path.unlink()
    assert '"rewritten": 1' in reindex()
    assert found() == [created.id]


def test_an_article_written_during_a_first_build_is_indexed_once_in_its_new_version(writer: Server) -> None:
    writer.ingestor.ingest_one(FLOOD)
    writer.ingestor.ingest_one(draft("https://x.example/t", "Tram works", "Tram works start in Port Alden."))
    writer.follower.index.recreate()  # an empty index: the repair streams every chunk in
    rebuilt = draft(FLOOD.url or "", "Quintaville dam rebuilt", "Quintaville reopened its rebuilt Ostrava dam.")
    written: list[str] = []

    def write_meanwhile(done: int, total: int) -> None:
        if not written:  # the store tells the index while the build is under way
            written.append(writer.ingestor.ingest_one(rebuilt).status)

    writer.follower.repair(write_meanwhile)
    assert written == ["updated"]
    assert writer.texts("Quintaville") == ["Quintaville reopened its rebuilt Ostrava dam."]
    assert writer.follower.index.check() is None
