"""Which engine for the lexical index: SQLite FTS5 (bm25()) or Tantivy, against today's in-memory bm25s.

Reads every committed chunk of an existing archive once through the store (title + text, as the
index sees them), tokenises them once with ``ingest.lexical.tokens`` (English Snowball stems,
Lucene's English stop words: the words bm25s indexed), then for each engine measures, in one run:

- build: index every chunk from scratch (seconds);
- add: index one more article's chunks and make them searchable (ms, median over 20 articles);
- delete: remove one article's chunks and make that visible (ms, median over 20);
- query p50/p95 (ms) over the development questions (RealTime QA, dated before 2026), without a
  filter and with each filter retrieval uses: ``as_of`` (published before the quiz day's end), a
  date range (the 30 days before it) and an outlet (the archive's most common one) with ``as_of``;
- disk size (MB) of the index as written;
- agreement with bm25s: the mean share of bm25s's top 10 that the engine also ranks in its top 10,
  per question, without a filter and under ``as_of``.

bm25s has no incremental update: its "add" and "delete" are a rebuild of the in-memory index from
the tokens already read (the store's read-back, 17 s on this archive, not counted). The Tantivy
figures are newsdesk's own index (``ingest.lexical.index.LexicalIndex``: a commit, a searcher
reload and its state file per write); SQLite's are an FTS5 table of the same tokens built here
(the design tried first), its filters SQL conditions on the joined chunk row.

Run from the project root over a COPY of an archive (opening a store adds its change-feed collection):
``.venv/bin/python bench/lexical_engines.py --data-dir /path/to/copy --prefix newsdesk-eval-realtimeqa``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as day_end
from functools import partial
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from ingest.embedding import embedding_identity
from ingest.lexical.index import IndexedArticle, IndexedChunk, LexicalFilter, LexicalIndex
from ingest.lexical.tokens import tokenize
from ingest.settings import IngestSettings
from ingest.store import open_store
from ingest.store.filters import UNDATED_TS, timestamp

HERE = Path(__file__).resolve().parent
DATASET = HERE.parent.parent / "shared" / "datasets" / "realtimeqa_2025-09_to_2026-04"

Key = tuple[str, int, int]


@dataclass
class Doc:
    article_id: str
    start: int
    end: int
    text: str
    title: str
    source: str
    published_ts: int
    terms: list[str]

    @property
    def key(self) -> Key:
        return (self.article_id, self.start, self.end)


@dataclass(frozen=True)
class Filter:
    name: str
    sources: tuple[str, ...] | None = None
    since: datetime | None = None
    until: datetime | None = None


def load_docs(data_dir: Path, prefix: str) -> list[Doc]:
    settings = IngestSettings(_env_file=None, data_dir=data_dir, collection_prefix=prefix)  # type: ignore[call-arg]
    name, dimension = embedding_identity(settings)
    store = open_store(settings, name, dimension)
    rows = list(store.iter_chunks())
    headers = store.get_headers(sorted({c.article_id for c, _ in rows}))
    titles = {i: str(h.get("title", "")) for i, h in headers.items()}
    terms = tokenize([f"{titles.get(c.article_id, '')}\n{c.text}" for c, _ in rows])
    return [
        Doc(
            c.article_id,
            c.start,
            c.end,
            c.text,
            titles.get(c.article_id, ""),
            str(m.get("source") or ""),
            int(m.get("published_ts", UNDATED_TS)),
            t,
        )
        for (c, m), t in zip(rows, terms, strict=True)
    ]


def dev_questions() -> list[tuple[str, datetime]]:
    rows = []
    for path in sorted(DATASET.rglob("*_qa.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                day = datetime.fromisoformat(row["question_date"].replace("/", "-")).date()
                if day.year < 2026:
                    rows.append((row["question_sentence"], datetime.combine(day, day_end.max, UTC)))
    return rows


# ----- engines ----------------------------------------------------------------------------------


class Bm25sEngine:
    """Today's index: bm25s in memory, filters as numpy masks, rebuilt on every write."""

    name = "bm25s (today)"

    def __init__(self, workdir: Path):
        self.workdir = workdir

    def build(self, docs: list[Doc]) -> None:
        self.docs = list(docs)
        self.model = bm25s.BM25()
        self.model.index([d.terms for d in self.docs], show_progress=False)
        self.sources = np.asarray([d.source for d in self.docs], dtype=object)
        self.published = np.asarray([d.published_ts for d in self.docs], dtype=np.float64)

    def add(self, docs: list[Doc]) -> None:
        self.build(self.docs + docs)

    def delete(self, article_id: str) -> None:
        self.build([d for d in self.docs if d.article_id != article_id])

    def search(self, query: str, k: int, where: Filter) -> list[Key]:
        tokens = tokenize([query])[0]
        if not tokens:
            return []
        mask = np.ones(len(self.docs), dtype=bool)
        if where.sources:
            mask &= np.isin(self.sources, list(where.sources))
        if where.since is not None:
            mask &= self.published >= timestamp(where.since)
        if where.until is not None:
            mask &= self.published <= timestamp(where.until)
        scores = np.where(mask, self.model.get_scores(tokens), -np.inf)
        top = np.argsort(-scores)[:k]
        return [self.docs[i].key for i in top if np.isfinite(scores[i]) and scores[i] > 0]

    def disk_bytes(self) -> int:
        target = self.workdir / "bm25s"
        self.model.save(str(target))
        return _size(target)


_FTS5_SCHEMA = """
CREATE TABLE chunks (id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, span_start INTEGER NOT NULL,
                     span_end INTEGER NOT NULL, text TEXT NOT NULL, source TEXT NOT NULL,
                     published_ts INTEGER NOT NULL);
CREATE INDEX chunks_by_article ON chunks (article_id);
CREATE INDEX chunks_by_date ON chunks (published_ts);
CREATE INDEX chunks_by_source ON chunks (source, published_ts);
CREATE VIRTUAL TABLE chunk_terms USING fts5 (terms, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'");
"""


class SqliteEngine:
    """SQLite FTS5 with bm25() (stdlib sqlite3), filters as SQL conditions on the joined chunk row.

    The design newsdesk tried first (a chunks table, an FTS5 table of the same tokens keyed by the
    chunk's rowid, WAL), kept here so the comparison can be run again.
    """

    name = "SQLite FTS5"

    def __init__(self, workdir: Path):
        self.path = workdir / "fts5.sqlite3"
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA mmap_size = 1073741824")
        self.db.executescript(_FTS5_SCHEMA)

    def _insert(self, docs: list[Doc]) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        for d in docs:
            cursor = self.db.execute(
                "INSERT INTO chunks (article_id, span_start, span_end, text, source, published_ts) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (d.article_id, d.start, d.end, d.text, d.source, d.published_ts),
            )
            self.db.execute(
                "INSERT INTO chunk_terms (rowid, terms) VALUES (?, ?)", (cursor.lastrowid, " ".join(d.terms))
            )
        self.db.execute("COMMIT")

    def build(self, docs: list[Doc]) -> None:
        self._insert(docs)

    def add(self, docs: list[Doc]) -> None:
        self._insert(docs)

    def delete(self, article_id: str) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        ids = [(r[0],) for r in self.db.execute("SELECT id FROM chunks WHERE article_id = ?", (article_id,))]
        self.db.executemany("DELETE FROM chunk_terms WHERE rowid = ?", ids)
        self.db.executemany("DELETE FROM chunks WHERE id = ?", ids)
        self.db.execute("COMMIT")

    def search(self, query: str, k: int, where: Filter) -> list[Key]:
        words = list(dict.fromkeys(t for t in tokenize([query])[0] if t))
        if not words:
            return []
        clauses, params = ["chunk_terms MATCH ?"], [" OR ".join(f'"{w}"' for w in words)]
        if where.sources:
            clauses.append(f"c.source IN ({','.join('?' * len(where.sources))})")
            params.extend(where.sources)
        if where.since is not None:
            clauses.append("c.published_ts >= ?")
            params.append(str(timestamp(where.since)))
        if where.until is not None:
            clauses.append("c.published_ts <= ?")
            params.append(str(timestamp(where.until)))
        rows = self.db.execute(
            "SELECT c.article_id, c.span_start, c.span_end, bm25(chunk_terms) AS rank "
            "FROM chunk_terms JOIN chunks c ON c.id = chunk_terms.rowid "
            f"WHERE {' AND '.join(clauses)} ORDER BY rank LIMIT ?",
            [*params, k],
        ).fetchall()
        return [(a, int(s), int(e)) for a, s, e, _ in rows]

    def disk_bytes(self) -> int:
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return sum(_size(Path(f"{self.path}{s}")) for s in ("", "-wal", "-shm"))


class TantivyEngine:
    """newsdesk's index (``ingest.lexical.index.LexicalIndex``): Tantivy, filters as score-less clauses."""

    name = "Tantivy"

    def __init__(self, workdir: Path):
        self.index = LexicalIndex(workdir / "tantivy")

    def build(self, docs: list[Doc]) -> None:
        articles = _articles(docs)
        for at in range(0, len(articles), 200):  # a few commits, as a streamed rebuild makes
            self.index.put(articles[at : at + 200])

    def add(self, docs: list[Doc]) -> None:
        self.index.put(_articles(docs))

    def delete(self, article_id: str) -> None:
        self.index.remove([article_id])

    def search(self, query: str, k: int, where: Filter) -> list[Key]:
        hits = self.index.search(query, k, LexicalFilter(where.sources, where.since, where.until))
        return [(h.article_id, h.start, h.end) for h in hits]

    def disk_bytes(self) -> int:
        return _size(self.index.path)


def _articles(docs: Sequence[Doc]) -> list[IndexedArticle]:
    by_article: dict[str, list[Doc]] = defaultdict(list)
    for d in docs:
        by_article[d.article_id].append(d)
    return [
        IndexedArticle(
            article_id=i,
            content_hash="bench",
            title=ds[0].title,
            source=ds[0].source,
            published_ts=ds[0].published_ts,
            chunks=[IndexedChunk(d.start, d.end, d.text) for d in ds],
        )
        for i, ds in by_article.items()
    ]


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    if not path.exists():
        return 0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# ----- measuring --------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def filters_for(as_of: datetime, outlet: str) -> list[Filter]:
    return [
        Filter("none"),
        Filter("as_of", until=as_of),
        Filter("30 days", since=as_of - timedelta(days=30), until=as_of),
        Filter("outlet + as_of", sources=(outlet,), until=as_of),
    ]


def measure(
    engine: Any, docs: list[Doc], sample: list[str], questions: list[tuple[str, datetime]], outlet: str
) -> tuple[dict[str, Any], dict[tuple[int, str], list[Key]]]:
    held_out = set(sample)
    base = [d for d in docs if d.article_id not in held_out]
    extra: dict[str, list[Doc]] = defaultdict(list)
    for d in docs:
        if d.article_id in held_out:
            extra[d.article_id].append(d)
    build_s = timed(lambda: engine.build(base))
    # bm25s rebuilds on every write: 5 of them say enough.
    writes = sample[:5] if isinstance(engine, Bm25sEngine) else sample
    adds = [timed(partial(engine.add, extra[a])) * 1000 for a in writes]
    engine.add([d for a in sample if a not in writes for d in extra[a]])
    disk = engine.disk_bytes()
    deletes = [timed(partial(engine.delete, a)) * 1000 for a in writes]
    engine.add([d for a in writes for d in extra[a]])  # back to the whole archive for the queries
    times: dict[str, list[float]] = defaultdict(list)
    results: dict[tuple[int, str], list[Key]] = {}
    for n, (question, as_of) in enumerate(questions):
        for where in filters_for(as_of, outlet):
            started = time.perf_counter()
            results[(n, where.name)] = engine.search(question, 10, where)
            times[where.name].append((time.perf_counter() - started) * 1000)
    row: dict[str, Any] = {
        "engine": engine.name,
        "build_s": round(build_s, 2),
        "add_ms": round(statistics.median(adds), 1),
        "delete_ms": round(statistics.median(deletes), 1),
        "disk_mb": round(disk / 1e6, 1),
    }
    for name, values in times.items():
        row[f"query_{name}_p50_ms"] = round(percentile(values, 50), 2)
        row[f"query_{name}_p95_ms"] = round(percentile(values, 95), 2)
    return row, results


def agreement(mine: dict[tuple[int, str], list[Key]], base: dict[tuple[int, str], list[Key]], name: str) -> float:
    shares = [len(set(mine[key]) & set(top)) / len(top) for key, top in base.items() if key[1] == name and top]
    return round(statistics.fmean(shares), 3) if shares else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="a COPY of an archive's NEWSDESK_DATA_DIR")
    parser.add_argument("--prefix", default="newsdesk-eval-realtimeqa", help="its collection prefix")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()

    started = time.perf_counter()
    docs = load_docs(args.data_dir, args.prefix)
    read_s = time.perf_counter() - started
    questions = dev_questions()
    outlet = Counter(d.source for d in docs if d.source).most_common(1)[0][0]
    # 20 articles of median size stand for "one article" in add/delete.
    sizes = Counter(d.article_id for d in docs)
    median = statistics.median(sizes.values())
    sample = sorted(a for a, n in sizes.items() if n == median)[:20]

    rows = []
    results: dict[str, dict[tuple[int, str], list[Key]]] = {}
    with tempfile.TemporaryDirectory(prefix="lexical-engines-") as tmp:
        for engine_type in (Bm25sEngine, SqliteEngine, TantivyEngine):
            workdir = Path(tmp) / engine_type.__name__
            workdir.mkdir()
            engine = engine_type(workdir)
            row, found = measure(engine, docs, sample, questions, outlet)
            rows.append(row)
            results[engine.name] = found
            shutil.rmtree(workdir, ignore_errors=True)
            print(f"{engine.name}: {row}", file=sys.stderr)
    baseline = results[Bm25sEngine.name]
    for row in rows:
        row["top10_agreement_none"] = agreement(results[row["engine"]], baseline, "none")
        row["top10_agreement_as_of"] = agreement(results[row["engine"]], baseline, "as_of")
    report = {
        "chunks": len(docs),
        "articles": len(sizes),
        "questions": len(questions),
        "outlet_filter": outlet,
        "article_chunks": median,
        "read_and_tokenise_s": round(read_s, 1),
        "cpus": os.cpu_count(),
        "engines": rows,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for row in rows:
            print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
