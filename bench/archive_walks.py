"""Walks over the whole archive, by offset (the old way) against newsdesk's way, on a filled folder.

Two walks an archive of a million chunks must not make quadratic, and two reads it must not make
proportional to the archive:

* **every chunk** (a lexical index rebuilt from the store: ``newsdesk reindex``, a new server's first
  start). Baseline: pages of 1,000 chunks asked by ``offset`` (what ``ArchiveStore.iter_chunks`` did until
  2026-12-05), each page's article headers fetched to keep committed chunks only. newsdesk:
  ``ArchiveStore.iter_chunks()``, which asks for the chunks of 100 articles at a time by article id.
* **the orphan sweep** every ``newsdesk ingest`` run and every feed poll starts with. Baseline: every chunk's
  metadata in pages of 5,000 by ``offset``, each page's article ids looked up (the sweep until 2026-12-05).
  newsdesk: ``ArchiveStore.sweep_orphans()``, which reads the removals the change feed holds since the last
  sweep.
* **a page of the listing** (``GET /v1/articles``, ``newsdesk articles list``): the 50 newest articles, then
  50 of one outlet from offset 500. Baseline: ``ArchiveStore.list_articles``, which reads every article's
  record and sorts them (Chroma cannot sort). newsdesk: ``ingest.lexical.listing.newest_articles``, a range
  read of the lexical index's SQL state, then the page's records from the store.
* **the outlet counts** (``newsdesk stats``). Baseline: ``ArchiveStore.source_counts``, every record read.
  newsdesk: ``ingest.lexical.listing.outlet_counts``, one grouped count of the index's state.

The lexical index of the folder (built by the ``newsdesk serve`` that ``bench/scale.py`` ran over it) is
first brought up to date.

Each pair runs ``--repeat`` times, the order alternating, in one process; both walks of a pair must see the
same chunks (checked). Reported: seconds of each and the ratio baseline / newsdesk.

Run from the project root over a folder ``bench/scale.py`` filled (default prefix ``newsdesk``):
``.venv/bin/python bench/archive_walks.py --data-dir <folder> [--prefix newsdesk] [--repeat 2] [--only WALK] [--json]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ingest.embedding import embedding_identity
from ingest.lexical import LexicalFollower, attach_lexical_index
from ingest.lexical.listing import newest_articles, outlet_counts
from ingest.settings import IngestSettings
from ingest.store import ArchiveStore, open_store

CHUNK_PAGE = 1000
WALKS = ["every chunk", "orphan sweep", "listing pages", "outlet counts"]
SWEEP_PAGE = 5000


def every_chunk_by_offset(store: ArchiveStore) -> int:
    """The baseline walk: committed chunks, 1,000 a page by offset."""
    seen, offset = 0, 0
    while True:
        got = store.chunks.get(include=["metadatas", "documents"], limit=CHUNK_PAGE, offset=offset)
        if not got["ids"]:
            return seen
        # Chroma types a metadata value as any it can store; these rows are the store's own (string ids, hashes).
        metas: list[dict[str, Any]] = [dict(m or {}) for m in got["metadatas"] or []]
        headers = store.get_headers([m["article_id"] for m in metas])
        seen += sum(1 for m in metas if headers.get(m["article_id"], {}).get("content_hash") == m["content_hash"])
        offset += len(got["ids"])


def every_chunk_by_article(store: ArchiveStore) -> int:
    """newsdesk's walk."""
    return sum(1 for _ in store.iter_chunks())


def sweep_by_offset(store: ArchiveStore) -> int:
    """The baseline sweep: every chunk's article id, 5,000 a page by offset; returns the orphans found."""
    orphans: set[str] = set()
    offset = 0
    while True:
        got = store.chunks.get(include=["metadatas"], limit=SWEEP_PAGE, offset=offset)
        if not got["ids"]:
            return len(orphans)
        ids = {str(dict(m or {})["article_id"]) for m in got["metadatas"] or []}
        orphans |= ids - set(store.get_headers(sorted(ids)))
        offset += len(got["ids"])


def listing_pages(list_page: Callable[..., list[Any]], outlet: str) -> int:
    """Two pages of the listing; the result identifies the ids listed, in order (compared, not shown)."""
    first = list_page(limit=50, offset=0)
    deep = list_page(sources=[outlet], limit=50, offset=500)
    return hash(tuple(a.id for a in first + deep)) & 0xFFFFFFFF


def timed(walk: Callable[[ArchiveStore], int], store: ArchiveStore) -> tuple[float, int]:
    started = time.perf_counter()
    result = walk(store)
    return time.perf_counter() - started, result


def pair(
    name: str,
    baseline: Callable[[ArchiveStore], int],
    newsdesk: Callable[[ArchiveStore], int],
    store: ArchiveStore,
    repeat: int,
) -> dict[str, Any]:
    """Run both walks ``repeat`` times, alternating which goes first."""
    runs: dict[str, list[float]] = {"baseline": [], "newsdesk": []}
    results: dict[str, set[int]] = {"baseline": set(), "newsdesk": set()}
    for round_ in range(repeat):
        order = [("baseline", baseline), ("newsdesk", newsdesk)]
        for label, walk in order if round_ % 2 == 0 else order[::-1]:
            seconds, result = timed(walk, store)
            runs[label].append(seconds)
            results[label].add(result)
            print(f"  {name} {label}: {seconds:.2f} s ({result:,})", file=sys.stderr)
    base, ours = min(runs["baseline"]), min(runs["newsdesk"])
    return {
        "walk": name,
        "baseline_s": [round(s, 2) for s in runs["baseline"]],
        "newsdesk_s": [round(s, 2) for s in runs["newsdesk"]],
        "ratio": round(base / ours, 2) if ours > 0 else None,
        "baseline_result": sorted(results["baseline"]),
        "newsdesk_result": sorted(results["newsdesk"]),
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, required=True, help="a filled data folder (its chroma/ inside)")
    parser.add_argument("--prefix", default="newsdesk", help="its collection prefix")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each walk, the order alternating")
    parser.add_argument("--only", action="append", choices=WALKS, help="only this walk (repeatable; default: all)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    settings = IngestSettings(data_dir=args.data_dir, collection_prefix=args.prefix)
    name, dimension = embedding_identity(settings)
    store = open_store(settings, name, dimension)
    counts = store.count()
    print(f"{counts['chunks']:,} chunks, {counts['articles']:,} articles", file=sys.stderr)
    store.sweep_orphans()  # the first sweep of a folder may read everything; time the steady state
    follower: LexicalFollower = attach_lexical_index(settings, store)
    started = time.perf_counter()
    follower.catch_up()
    print(f"lexical index up to date in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if not follower.lists_articles():
        raise SystemExit("the lexical index cannot list the archive (still incomplete?)")
    outlet = next(iter(follower.index.outlet_counts()))

    def counts_of(found: dict[str, int]) -> int:
        return hash(tuple(sorted(found.items()))) & 0xFFFFFFFF

    walks: dict[str, tuple[Callable[[ArchiveStore], int], Callable[[ArchiveStore], int]]] = {
        "every chunk": (every_chunk_by_offset, every_chunk_by_article),
        "orphan sweep": (sweep_by_offset, lambda s: s.sweep_orphans()),
        "listing pages": (
            lambda s: listing_pages(s.list_articles, outlet),
            lambda _: listing_pages(lambda **kw: newest_articles(follower, **kw), outlet),
        ),
        "outlet counts": (
            lambda s: counts_of(s.source_counts()),
            lambda _: counts_of(outlet_counts(follower)),
        ),
    }
    chosen = args.only or WALKS
    report: dict[str, Any] = {
        **counts,
        "walks": [pair(name, *walks[name], store, args.repeat) for name in WALKS if name in chosen],
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for walk in report["walks"]:
            print(
                f"{walk['walk']}: baseline {walk['baseline_s']} s, newsdesk {walk['newsdesk_s']} s, "
                f"ratio {walk['ratio']}x (results {walk['baseline_result']} / {walk['newsdesk_result']})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
