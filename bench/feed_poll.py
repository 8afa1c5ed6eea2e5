"""Feed polling: what a conditional GET saves, and what a poll costs searches on a serving server.

Part 1, in process (the bundled model, an embedded store, the real ``FeedPoller``): a local feed of
``--articles`` RealTime QA development articles (the first distinct ones, as ``ingest_speed.py``
picks them) is polled

- once into an empty archive (every entry new: read, chunk, embed, write);
- ``--repeat`` times unchanged with the publisher ignoring validators (always 200: every entry is read
  and found unchanged in the store; the baseline);
- ``--repeat`` times unchanged with validators honoured (304 Not Modified).

Part 2, a real ``newsdesk serve --feeds`` over that archive: ``GET /v1/search`` is timed back to back
by one client, first idle (the baseline), then while the server's poller stores ``--new`` more
articles just published on the feed (from the moment they are published until the feed shows them
stored). Searches do not wait for a poll as such, but a query's embedding shares the model with the
poll's batch (one model call at a time), and the two share the CPU.

Timings are noisy on a shared machine: compare the ratios, which are measured in one run.

Run from the project root: ``.venv/bin/python bench/feed_poll.py [--articles 40] [--new 16] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from feed_server import FeedServer, Item
from ingest_speed import DEFAULT_DATASET, select_articles
from launcher import answers, free_port, launch, offline_env

NEWSDESK = Path(sys.executable).parent / "newsdesk"
QUERIES = ["earthquake risk in California", "election results", "central bank interest rates", "wildfire evacuation"]


def feed_items(count: int, dataset: Path) -> list[Item]:
    """``count`` distinct development articles as feed entries (their own URL, title and text)."""
    lines = select_articles(dataset, count)
    results = [r for line in lines for r in line["search_result"]]
    return [Item(title=r["title"], link=r["url"], text=r["text"]) for r in results[:count]]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def poll_costs(server: FeedServer, data_dir: Path, model_cache: Path | None, repeat: int) -> dict[str, Any]:
    """Part 1: seconds of the first poll, an unchanged 200 and a 304, in this process."""
    from ingest.embedding import load_embedder
    from ingest.feeds import FeedPoller, FeedState
    from ingest.pipeline import Ingestor
    from ingest.settings import IngestSettings
    from ingest.store import open_store

    settings = IngestSettings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        model_cache=model_cache,
        allow_private_urls=True,
        feed_min_every_s=1,
    )
    embedder = load_embedder(settings)
    embedder.encode(["warm up"])
    store = open_store(settings, embedder.name, embedder.dimension)
    ingestor = Ingestor(settings, store, embedder)
    state = FeedState(settings.feeds_path)
    clock = [time.time()]
    poller = FeedPoller(settings, state, lambda: ingestor, clock=lambda: clock[0])
    state.add(server.url("wire"), every_s=60, now=clock[0])

    def timed_poll() -> tuple[float, Any]:
        clock[0] += 61
        started = time.perf_counter()
        (poll,) = poller.poll_due()
        return time.perf_counter() - started, poll

    first_s, first = timed_poll()
    assert first.status == "stored", first.error
    server.route("wire").conditional = False
    unchanged = [timed_poll() for _ in range(repeat)]
    assert all(p.status == "stored" and not p.stored for _, p in unchanged)
    server.route("wire").conditional = True
    timed_poll()  # the first conditional poll after the plain ones still gets 200 (new validators)
    not_modified = [timed_poll() for _ in range(repeat)]
    assert all(p.status == "not_modified" for _, p in not_modified)
    unchanged_s = statistics.median(s for s, _ in unchanged)
    not_modified_s = statistics.median(s for s, _ in not_modified)
    return {
        "entries": len(first.created),
        "chunks": store.count()["chunks"],
        "first_poll_s": round(first_s, 3),
        "unchanged_200_s": round(unchanged_s, 4),
        "not_modified_304_s": round(not_modified_s, 4),
        "unchanged_over_first": round(unchanged_s / first_s, 4),
        "not_modified_over_unchanged": round(not_modified_s / unchanged_s, 4),
    }


def search_during_poll(
    server: FeedServer, data_dir: Path, model_cache: Path | None, new: list[Item], idle_s: float, log: Path
) -> dict[str, Any]:
    """Part 2: /v1/search latency idle, then while ``serve --feeds`` stores ``new`` entries."""
    env = offline_env(
        NEWSDESK_DATA_DIR=str(data_dir),
        NEWSDESK_ALLOW_PRIVATE_URLS="true",
        NEWSDESK_FEED_MIN_EVERY_S="1",
        NEWSDESK_FEED_CHECK_S="0.5",
        **({"NEWSDESK_MODEL_CACHE": str(model_cache)} if model_cache else {}),
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Every second from now on: the feed is polled (304s) until the new entries appear.
    from ingest.feeds import FeedState

    state = FeedState(data_dir / "feeds.sqlite3")
    (feed,) = state.all()
    state.add(feed.url, every_s=1, now=time.time())
    serving = launch(
        [str(NEWSDESK), "serve", "--feeds", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        ready=answers(f"{base}/healthz"),
        timeout=600,
        log_path=log,
        env=env,
        name="newsdesk serve --feeds",
    )
    try:
        with httpx.Client(base_url=base, timeout=120, trust_env=False) as client:

            def one(n: int) -> float:
                started = time.perf_counter()
                response = client.get("/v1/search", params={"q": QUERIES[n % len(QUERIES)], "k": 5})
                response.raise_for_status()
                return time.perf_counter() - started

            for n in range(5):
                one(n)  # warm
            idle: list[float] = []
            deadline = time.monotonic() + idle_s
            while time.monotonic() < deadline:
                idle.append(one(len(idle)))
            before = state.get(feed.id).new_articles  # type: ignore[union-attr]
            for item in new:
                server.publish("wire", item)
            during: list[float] = []
            published = time.monotonic()
            stored_after = None
            while stored_after is None:
                during.append(one(len(during)))
                now_stored = state.get(feed.id).new_articles  # type: ignore[union-attr]
                if now_stored >= before + len(new):
                    stored_after = time.monotonic() - published
                if time.monotonic() - published > 600:
                    raise RuntimeError("the poller did not store the new entries within 600 s")
    finally:
        serving.stop()
    return {
        "new_entries": len(new),
        "stored_within_s": round(stored_after, 2),
        "idle": {
            "n": len(idle),
            "p50_ms": round(statistics.median(idle) * 1000, 1),
            "p95_ms": round(percentile(idle, 0.95) * 1000, 1),
            "max_ms": round(max(idle) * 1000, 1),
        },
        "during_poll": {
            "n": len(during),
            "p50_ms": round(statistics.median(during) * 1000, 1),
            "p95_ms": round(percentile(during, 0.95) * 1000, 1),
            "max_ms": round(max(during) * 1000, 1),
        },
        "p50_ratio": round(statistics.median(during) / statistics.median(idle), 2),
        "p95_ratio": round(percentile(during, 0.95) / percentile(idle, 0.95), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40, help="entries of the feed at first (default 40)")
    parser.add_argument("--new", type=int, default=16, help="entries published while searches run (default 16)")
    parser.add_argument("--repeat", type=int, default=5, help="unchanged polls of each kind (median)")
    parser.add_argument("--idle-s", type=float, default=20.0, help="seconds of idle searches (the baseline)")
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--model-cache", type=Path, default=None, help="keep the ONNX export here across runs")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()

    items = feed_items(args.articles + args.new, args.dataset)
    first, later = items[: args.articles], items[args.articles :]
    with tempfile.TemporaryDirectory(prefix="bench-feeds-") as scratch, FeedServer() as server:
        data_dir = Path(scratch) / "data"
        model_cache = args.model_cache or Path(scratch) / "models"
        server.add("wire", "Wire", first)
        costs = poll_costs(server, data_dir, model_cache, args.repeat)
        print(json.dumps({"poll_costs": costs}, indent=2), flush=True)
        searches = search_during_poll(server, data_dir, model_cache, later, args.idle_s, Path(scratch) / "serve.log")
    results = {"poll_costs": costs, "search_during_poll": searches, "loadavg_1m": round(os.getloadavg()[0], 2)}
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
