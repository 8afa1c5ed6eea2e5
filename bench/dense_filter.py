"""The dense query under a date filter: Chroma's filtered search against the plan newsdesk picks.

For every development question (``*_qa.jsonl`` of 2025, as of its quiz date) over an existing archive,
``ArchiveStore.query_chunks`` runs twice, interleaved and the order alternating: once as the baseline
(Chroma applies the filter) and once with what the lexical index tells it (``hybrid.dense_plan``):

- by default the filter is ``published_ts <= as_of``, and the index reports the share of admitted
  chunks: when at least half pass, newsdesk queries unfiltered and filters here;
- with ``--window-days D`` the filter is the D days up to the quiz day (``since`` and ``until``, as a
  question saying "this week" gets), and the index names the window's articles: when their chunks are
  few, newsdesk ranks them exactly.

Chroma searches a filtered collection exhaustively but an unfiltered one through its approximate HNSW
graph, so the two can differ a little: the script counts the questions where the chunks or their order
differ, and how much the differing lists overlap. Reported: p50/p95/mean ms of each and the ratio of
p50s, measured in the same run.

Run from the project root over an archive another benchmark built, e.g. bench/load.py's:
``.venv/bin/python bench/dense_filter.py --data-dir bench/results/load/archive-800 [--window-days 1]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as day_end
from pathlib import Path

from ingest.embedding import load_embedder
from ingest.lexical import attach_lexical_index
from ingest.settings import IngestSettings
from ingest.store import open_store
from ingest.store.filters import article_filter
from service.retrieval.hybrid import dense_plan
from service.retrieval.lexical import LexicalSearch

HERE = Path(__file__).resolve().parent

DATASET = HERE.parent.parent / "shared" / "datasets" / "realtimeqa_2025-09_to_2026-04" / "past" / "2025"


def questions() -> list[tuple[str, datetime]]:
    """The development questions and the end of their quiz day."""
    rows = []
    for path in sorted(DATASET.glob("*_qa.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                day = datetime.fromisoformat(row["question_date"]).date()
                rows.append((row["question_sentence"], datetime.combine(day, day_end.max, UTC)))
    return rows


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="an archive's NEWSDESK_DATA_DIR")
    parser.add_argument("--model-cache", type=Path, default=HERE / "results" / "load" / "models")
    parser.add_argument("--k", type=int, default=40, help="dense candidates, as retrieval asks (default 40)")
    parser.add_argument("--window-days", type=int, help="filter to the D days up to the quiz day, not to as_of")
    parser.add_argument("--limit", type=int, help="ask only the first N questions")
    args = parser.parse_args()

    settings = IngestSettings(_env_file=None, data_dir=args.data_dir, model_cache=args.model_cache)  # type: ignore[call-arg]
    embedder = load_embedder(settings)
    store = open_store(settings, embedder.name, embedder.dimension)
    follower = attach_lexical_index(settings, store)
    follower.catch_up()
    lexical = LexicalSearch(follower)
    asked = questions()[: args.limit]
    vectors = embedder.encode([q for q, _ in asked])

    ours = "exact among the window (newsdesk)" if args.window_days else "python filter (newsdesk)"
    times: dict[str, list[float]] = {"chroma filter (baseline)": [], ours: []}
    shares, exact, differ, overlaps = [], 0, 0, []
    for n, ((_, as_of), vector) in enumerate(zip(asked, vectors, strict=False)):
        since = as_of - timedelta(days=args.window_days) if args.window_days else None
        where = article_filter(since=since, until=as_of)
        got = {}
        for name in list(times) if n % 2 == 0 else list(times)[::-1]:
            started = time.perf_counter()
            if name == ours:  # the plan's own reads of the index count in its time
                share, among = dense_plan(store, lexical, sources=None, since=since, until=as_of)
                hits = store.query_chunks(vector, args.k, where=where, share=share, among=among)
                shares.append(share or 0.0)
                exact += among is not None
            else:
                hits = store.query_chunks(vector, args.k, where=where)
            times[name].append((time.perf_counter() - started) * 1000)
            got[name] = [(h.article.id, h.chunk.start) for h in hits]
        a, b = got.values()
        if a != b:
            differ += 1
            overlaps.append(len(set(a) & set(b)) / max(len(set(a) | set(b)), 1))

    counts = store.count()
    print(
        f"{len(asked)} questions, archive {counts['articles']} articles / {counts['chunks']} chunks, k={args.k}, "
        f"share admitted: median {statistics.median(shares):.4f}, ranked exactly: {exact}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    for name, ms in times.items():
        print(
            f"  {name:26s} p50 {percentile(ms, 50):6.1f}  p95 {percentile(ms, 95):6.1f}  mean "
            f"{statistics.fmean(ms):6.1f} ms"
        )
    base_p50, ours_p50 = (percentile(ms, 50) for ms in times.values())
    print(
        f"  p50 ratio newsdesk/baseline: {ours_p50 / base_p50:.2f}; questions with different chunks: {differ}"
        + (f" (their overlap: mean {statistics.fmean(overlaps):.2f} of the union)" if overlaps else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
