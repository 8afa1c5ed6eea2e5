"""Two ``newsdesk serve`` processes on one real ``chroma run`` behave as one service.

The stated bound: a write through one server is visible through any other at once for dense
retrieval, articles and citations (they read Chroma directly), and in every server's lexical
index within ``NEWSDESK_LEXICAL_REFRESH_S`` (1 s) plus one catch-up from the change feed (a feed
read and the article's chunks: tens of milliseconds, independent of the archive's size).
``PROPAGATION_BOUND_S`` is that bound with room for a loaded 2-core machine.
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from chroma_process import ChromaServer
from newsdesk_processes import eventually, live_server

pytestmark = pytest.mark.slow

PROPAGATION_BOUND_S = 5.0

FERRY = {
    "url": "https://harbour-gazette.example/2026/03/vellmar-ferry-pontoons",
    "title": "Vellmar ferry crossing reopens on new pontoons",
    "source": "Harbour Gazette",
    "authors": ["Ines Okafor"],
    "published_at": "2026-03-02T09:00:00+00:00",
    "text": (
        "The Vellmar ferry crossing reopened on Monday after the harbour council paid 12 million euros "
        "for new floating pontoons. The old pontoons were condemned in January after a storm surge. "
        "Ferry operator Kestrel Lines said the first crossing carried 140 passengers and 22 cars."
    ),
}


def found_in_search(client: httpx.Client, query: str, article_id: str, using: str = "hybrid") -> dict[str, Any] | None:
    passages = client.get("/v1/search", params={"q": query, "k": 5, "using": using}).json()["results"]
    return next((p for p in passages if p["article"]["id"] == article_id), None)


def lexical_text(client: httpx.Client, query: str, article_id: str) -> str | None:
    """The text of the passage of ``article_id`` this server's lexical index finds for ``query``, if any."""
    passage = found_in_search(client, query, article_id, using="lexical")
    return None if passage is None else str(passage["text"])


@pytest.fixture
def two_servers(
    chroma_server: ChromaServer, prefix: str, news_jsonl: Path, tmp_path: Path, model_cache: Path, servers: list
) -> tuple[Any, Any]:
    """Servers A and B, each with its own data folder, on one Chroma server and one archive."""
    shared = {
        "NEWSDESK_CHROMA_URL": chroma_server.url,
        "NEWSDESK_COLLECTION_PREFIX": prefix,
        "NEWSDESK_MODEL_CACHE": str(model_cache),
        "NEWSDESK_API_KEYS": live_server.API_KEY,
    }
    ingest = subprocess.run(
        [str(live_server.NEWSDESK), "ingest", str(news_jsonl), "--json"],
        env=live_server.clean_env(NEWSDESK_DATA_DIR=str(tmp_path / "ingest"), **shared),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ingest.returncode == 0, ingest.stderr[-3000:]

    def start(name: str) -> Any:
        data_dir = tmp_path / name
        data_dir.mkdir()
        env = live_server.clean_env(NEWSDESK_DATA_DIR=str(data_dir), **shared)
        return live_server.start_server(data_dir, tmp_path / f"{name}.log", env)

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(start, name) for name in ("a", "b")]
        started = []
        for future in futures:
            try:
                started.append(future.result())
            except Exception:
                servers.extend(s for s in started)
                raise
    servers.extend(started)
    return started[0], started[1]


def listed(client: Any) -> list[str]:
    """The ids ``GET /v1/articles`` lists, newest first."""
    response = client.get("/v1/articles", params={"limit": 200})
    assert response.status_code == 200, response.text
    return [a["id"] for a in response.json()["articles"]]


def test_an_article_added_through_one_server_is_answerable_through_the_other(two_servers: tuple[Any, Any]) -> None:
    a, b = two_servers
    with a.client(headers={"X-API-Key": a.api_key}) as writer, b.client() as reader:
        # A server serves while its first catch-up runs (queries never wait for indexing): let B's
        # index become current before the write, so what follows measures propagation alone.
        def current_health() -> dict[str, Any] | None:
            health: dict[str, Any] = reader.get("/healthz").json()
            return health if health["lexical"]["current"] is True else None

        before, _ = eventually(current_health, 60, "B's lexical index to catch up at start")

        created = writer.post("/v1/articles", json=FERRY)
        assert created.status_code == 201, created.text
        article_id = created.json()["id"]
        assert lexical_text(writer, "Vellmar pontoons", article_id) is not None  # A's own index: at once

        # B's lexical index follows the change feed on its own; polled here through B's lexical search.
        _, delay = eventually(
            lambda: lexical_text(reader, "Vellmar pontoons", article_id), PROPAGATION_BOUND_S, "B's lexical index"
        )
        assert reader.get("/healthz").json()["lexical"]["chunks"] > before["lexical"]["chunks"]
        print(f"B's lexical index found the article {delay:.1f} s after the write through A")

        # B lists articles from its lexical index's state: the new one is listed within the bound too.
        eventually(lambda: article_id in listed(reader) or None, PROPAGATION_BOUND_S, "B's article listing")

        # Articles and dense retrieval read Chroma directly.
        assert reader.get(f"/v1/articles/{article_id}").json()["title"] == FERRY["title"]
        assert found_in_search(reader, "Vellmar ferry pontoons", article_id) is not None

        answer = reader.post("/v1/ask", json={"question": "How much did the Vellmar pontoons cost?"}).json()
        assert answer["answered"] is True and "12 million euros" in (answer["short_answer"] or "") + answer["answer"]
        assert any(c["article"]["id"] == article_id for c in answer["citations"])
        cited = answer["citations"][0]
        assert reader.get(f"/v1/citations/{cited['id']}").json()["quote"] == cited["quote"]


def test_an_update_and_a_delete_through_one_server_propagate_to_the_other(two_servers: tuple[Any, Any]) -> None:
    a, b = two_servers
    with a.client(headers={"X-API-Key": a.api_key}) as writer_a, b.client(headers={"X-API-Key": b.api_key}) as writer_b:
        article_id = writer_a.post("/v1/articles", json=FERRY).json()["id"]

        # Updated through B: A serves the new text, and never a passage of the old one.
        corrected = {**FERRY, "text": FERRY["text"].replace("140 passengers", "164 passengers")}
        assert writer_b.post("/v1/articles", json=corrected).json()["status"] == "updated"
        assert writer_a.post("/v1/articles", json=corrected).json()["status"] == "unchanged"
        assert "164 passengers" in writer_a.get(f"/v1/articles/{article_id}").json()["text"]
        # A's lexical index: the new text within the bound, never the old one after it.
        eventually(
            lambda: (
                (lexical_text(writer_a, "Kestrel Lines passengers", article_id) or "").count("164 passengers") or None
            ),
            PROPAGATION_BOUND_S,
            "A's lexical index after the update",
        )
        passage = found_in_search(writer_a, "Kestrel Lines first crossing passengers", article_id)
        assert passage is not None and "164 passengers" in passage["text"] and "140 passengers" not in passage["text"]

        # Deleted through B: gone from A at once, also from a lexical index that has not caught up yet.
        assert writer_b.delete(f"/v1/articles/{article_id}").status_code in (200, 204)
        assert writer_a.get(f"/v1/articles/{article_id}").status_code == 404
        assert article_id not in listed(writer_a)  # the listing reads each record from the store
        assert found_in_search(writer_a, "Vellmar ferry pontoons Kestrel Lines", article_id) is None
        answer = writer_a.post("/v1/ask", json={"question": "How much did the Vellmar pontoons cost?"}).json()
        assert all(c["article"]["id"] != article_id for c in answer["citations"])

        # And from both lexical indexes, within the bound (B's at once: it made the delete).
        assert lexical_text(writer_b, "Vellmar pontoons Kestrel", article_id) is None
        eventually(
            lambda: lexical_text(writer_a, "Vellmar pontoons Kestrel", article_id) is None or None,
            PROPAGATION_BOUND_S,
            "A's lexical index after the delete",
        )
