"""``newsdesk feeds`` and ``newsdesk serve --feeds`` as real processes: a published entry becomes searchable.

The server polls a local feed server on 127.0.0.1 (allowed by ``NEWSDESK_ALLOW_PRIVATE_URLS`` for
this test only) every second; reads need the API key, as with ``NEWSDESK_PROTECT_READS``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from bench.feed_server import FeedServer, Item, story
from bench.launcher import answers, free_port, launch, offline_env

pytestmark = pytest.mark.slow

NEWSDESK = Path(sys.executable).parent / "newsdesk"
API_KEY = "feeds-test-key-0123456789"
T = TypeVar("T")


def newsdesk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NEWSDESK), *args], env=env, capture_output=True, text=True, timeout=600)


def eventually(probe: Callable[[], T | None], bound_s: float, what: str) -> T:
    deadline = time.monotonic() + bound_s
    while True:
        value = probe()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {bound_s:.0f} s")
        time.sleep(0.3)


@pytest.fixture
def env(tmp_path: Path, model_cache: Path) -> dict[str, str]:
    return offline_env(
        drop=("NEWSDESK_", "SLACK_"),
        NEWSDESK_DATA_DIR=str(tmp_path / "data"),
        NEWSDESK_MODEL_CACHE=str(model_cache),
        NEWSDESK_ALLOW_PRIVATE_URLS="true",
        NEWSDESK_FEED_MIN_EVERY_S="1",
        NEWSDESK_FEED_CHECK_S="0.5",
        NEWSDESK_API_KEYS=API_KEY,
        NEWSDESK_PROTECT_READS="true",
    )


def test_serve_with_feeds_stores_a_new_entry_that_search_then_finds(env: dict[str, str], tmp_path: Path) -> None:
    with FeedServer() as feeds:
        url = feeds.add("harbour", "Harbour Gazette", [story(1), story(2)])
        added = newsdesk("feeds", "add", url, "--every", "1s", "--json", env=env)
        assert added.returncode == 0, added.stderr
        feed = json.loads(added.stdout)
        assert feed["status"] == "created" and feed["every_s"] == 1 and feed["last_poll_at"] is None

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = launch(
            [str(NEWSDESK), "serve", "--feeds", "--host", "127.0.0.1", "--port", str(port)],
            ready=answers(f"{base}/healthz"),
            timeout=300,
            log_path=tmp_path / "serve.log",
            env=env,
            name="newsdesk serve --feeds",
        )
        try:
            with httpx.Client(base_url=base, timeout=60, trust_env=False, headers={"X-API-Key": API_KEY}) as client:

                def feed_state() -> dict[str, Any]:
                    response = client.get("/v1/feeds")
                    assert response.status_code == 200, response.text
                    (only,) = response.json()["feeds"]
                    return only  # type: ignore[no-any-return]

                def first_poll_stored() -> dict[str, Any] | None:
                    state = feed_state()
                    return state if state["new_articles"] == 2 else None

                first = eventually(first_poll_stored, 120, "the first poll storing both entries")
                assert first["id"] == feed["id"] and first["last_new_article_at"] and first["last_error"] is None

                lighthouse = Item(
                    title="Lighthouse keeper retires after forty years",
                    link="http://news.example/lighthouse",
                    text="The last lighthouse keeper of the northern cape retired on Friday after forty years. "
                    "Her lamp will be automated by the maritime authority next spring.",
                )
                feeds.publish("harbour", lighthouse)

                def found() -> dict[str, Any] | None:
                    results = client.get("/v1/search", params={"q": "lighthouse keeper retires"}).json()["results"]
                    hits = [r for r in results if r["article"]["title"] == lighthouse.title]
                    return hits[0] if hits else None

                hit = eventually(found, 60, "the new entry becoming searchable")
                assert hit["article"]["source"] == "Harbour Gazette"

                # The lexical index takes the entry in as it commits, which may be just before the
                # poller records its poll: wait for the record, and for a poll of the unchanged feed
                # after it (a 304).
                def polled_since() -> dict[str, Any] | None:
                    state = feed_state()
                    return state if state["new_articles"] == 3 and state["not_modified"] >= 1 else None

                state = eventually(polled_since, 60, "the poll recording the new entry, then a 304")
                assert state["errors"] == 0
                conditional = [s for s in feeds.requests_for("harbour") if s.status == 304]
                assert conditional and all(s.if_none_match for s in conditional)

                metrics = client.get("/metrics").text
                assert f'newsdesk_feed_new_articles_total{{feed="{feed["id"]}",url="{url}"}} 3.0' in metrics
                assert f'newsdesk_feed_last_success_timestamp_seconds{{feed="{feed["id"]}"' in metrics

                anonymous = httpx.get(f"{base}/v1/feeds", trust_env=False, timeout=30)
                assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "unauthorized"
        finally:
            server.stop(timeout=30)
        assert "Traceback" not in server.log()

    stats = newsdesk("stats", "--json", env=env)
    assert stats.returncode == 0, stats.stderr
    (shown,) = json.loads(stats.stdout)["feeds"]
    assert shown["id"] == feed["id"] and shown["new_articles"] == 3 and shown["last_new_article_at"]
    assert stats_articles(stats.stdout) == 3  # each entry stored once


def stats_articles(document: str) -> int:
    return int(json.loads(document)["articles"])
