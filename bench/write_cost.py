"""What one write costs as the archive grows: an article saved, then deleted, on folders of different sizes.

Issue 15 asks that no write trigger work proportional to the archive. For each folder ``bench/scale.py``
filled, this opens the store with its lexical index attached (the path a server's ``POST /v1/articles`` and a
feed poll take after embedding: ``ArchiveStore.save``, which writes Chroma, the change feed, the revision and
then the lexical index) and times single-article writes and deletes. Articles are assembled as the fill's are
(real chunk text recombined, stored vectors: no model time), numbered past anything the fill wrote, and deleted
again, so a folder is left as it was. The folders are visited in turn, round by round, so the machine's load
falls on all of them alike. After each save and delete the folder's follower catches up once, as a server does
every ``NEWSDESK_LEXICAL_REFRESH_S`` (it re-reads the change feed's last minute and compares each named article's
hash). Reported per folder: its chunks, the p50 wall and CPU seconds of a save, a delete and a catch-up, and each
p50 as a ratio of the smallest folder's.

Run from the project root, after ``bench/scale.py`` (its pool cache under ``--work``)::

    .venv/bin/python bench/write_cost.py --data-dir <10k folder> --data-dir <100k folder> --data-dir <1M folder> \
        --work <scale.py's --work> [--writes 9] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scale import DEFAULT_POOL_PREFIX, DEFAULT_POOL_STORE, WORK, assemble, data_store, load_pool

from ingest.lexical import LexicalFollower, attach_lexical_index
from ingest.settings import IngestSettings
from ingest.store import ArchiveStore

# Article numbers far past any fill (a fill of 1M chunks numbers about 111,000 articles).
FIRST_NUMBER = 900_000_000


def timed(call: Any) -> tuple[float, float]:
    """Wall and CPU seconds of ``call()`` (this process's CPU: Chroma's and Tantivy's threads included)."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def open_folder(data_dir: Path) -> tuple[ArchiveStore, LexicalFollower]:
    """The folder's store, with its lexical index written by every save (as in a server), and its follower."""
    store = data_store(data_dir)
    return store, attach_lexical_index(IngestSettings(data_dir=data_dir), store)


def measure(folders: Sequence[Path], writes: int, args: argparse.Namespace) -> dict[str, Any]:
    pool = load_pool(args)
    opened = {folder: open_folder(folder) for folder in folders}
    sizes = {folder: store.count()["chunks"] for folder, (store, _) in opened.items()}
    samples: dict[Path, dict[str, list[float]]] = {
        f: {k: [] for k in ("save_s", "save_cpu_s", "delete_s", "delete_cpu_s", "catch_up_s", "catch_up_cpu_s")}
        for f in folders
    }
    for round_ in range(writes + 1):  # round 0 warms each folder up and is not counted
        for folder in folders if round_ % 2 == 0 else list(reversed(folders)):
            store, follower = opened[folder]
            version = assemble(FIRST_NUMBER + round_, pool)
            save = timed(lambda store=store, version=version: store.save([version]))
            gone = timed(lambda store=store, version=version: store.delete_article(version.article.id))
            # Round 0's catch-up also brings an index that is behind up to date (a repair, if it never caught up).
            follow = timed(follower.catch_up)
            if round_:
                for name, value in zip(samples[folder], (*save, *gone, *follow), strict=True):
                    samples[folder][name].append(value)
        print(f"  round {round_} of {writes}", file=sys.stderr)
    smallest = min(folders, key=lambda f: sizes[f])
    p50 = {f: {k: statistics.median(v) for k, v in samples[f].items()} for f in folders}
    return {
        "writes": writes,
        "folders": [
            {
                "data_dir": str(f),
                "chunks": sizes[f],
                **{k: round(v, 4) for k, v in p50[f].items()},
                **{
                    f"{k}_vs_smallest": round(v / p50[smallest][k], 2) if p50[smallest][k] > 0 else None
                    for k, v in p50[f].items()
                },
            }
            for f in sorted(folders, key=lambda f: sizes[f])
        ],
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, action="append", required=True, help="a filled folder (repeat)")
    parser.add_argument("--writes", type=int, default=9, help="saves and deletes timed per folder")
    parser.add_argument("--work", type=Path, default=WORK, help="bench/scale.py's work folder (its pool cache)")
    parser.add_argument("--pool-store", type=Path, default=DEFAULT_POOL_STORE, help="as bench/scale.py")
    parser.add_argument("--pool-prefix", default=DEFAULT_POOL_PREFIX, help="as bench/scale.py")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    args.pool_articles = None
    args.model_cache = args.work / "models"
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = measure(args.data_dir, args.writes, args)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for row in report["folders"]:
            print(
                f"{row['chunks']:>9,} chunks: save {row['save_s']:.3f} s ({row['save_s_vs_smallest']}x), "
                f"CPU {row['save_cpu_s']:.3f} s; delete {row['delete_s']:.3f} s ({row['delete_s_vs_smallest']}x); "
                f"catch-up {row['catch_up_s']:.3f} s ({row['catch_up_s_vs_smallest']}x)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
