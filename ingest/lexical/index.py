"""The lexical index: Tantivy (BM25) over committed chunks, updated article by article.

One folder per data folder and archive (``DATA_DIR/lexical/<prefix>/``), holding:

- ``tantivy/``: one document per chunk: its words (title and text, ``tokens.py``, joined by
  spaces and read by Tantivy's whitespace tokenizer, so both sides of a match are our own
  tokens), the article id (the key deletes use), the span, the text (stored, not indexed), the
  outlet and the publication time (a fast field). A query is a BM25 disjunction of its words;
  outlet and date filters are score-less clauses of the same boolean query, so Tantivy applies
  them while it collects the top hits;
- ``state.sqlite3`` (WAL): the content hash and chunk count of each indexed article (bringing
  an article up to date is idempotent: same hash, nothing to do), its outlet and publication
  time (the outlet list and counts, and the newest-first listing of articles: SQL indexes, so
  a page costs the same in a million articles as in a hundred; Chroma cannot sort), the
  change-feed position applied so far (``follower.py``) and a generation counter that moves
  on every write, so every process reloads its searcher after another one wrote.

Tantivy was chosen over SQLite FTS5 by measurement (``bench/lexical_engines.py``,
bench/README.md: on 26,117 chunks a query takes about 1 ms against 85-250 ms for FTS5's
``bm25()``, a build 4 s against 72 s). One process writes at a time (Tantivy's writer lock):
a writer here holds it only for one commit, and another process waiting for it retries.

Write order: Tantivy commits (delete the article's old chunks and add the new ones in one
commit, so a search sees one version or the other), then the state records the hash. A crash
in between leaves a hash that differs from the store's, so the next catch-up rewrites the
article. Only committed versions enter (the store tells after its commit, the follower reads
committed chunks only), so an interrupted write is never found here.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import tantivy

from ingest.lexical.tokens import tokenize
from ingest.state.sqlite import ThreadConnections
from ingest.store.archive import ArticleVersion
from ingest.store.filters import UNDATED_TS, timestamp

log = logging.getLogger(__name__)

# ``published_ts`` is NULL only in rows written before it existed, until the follower backfills them.
STATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    chunks INTEGER NOT NULL,
    source TEXT NOT NULL,
    published_ts INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS articles_by_source ON articles (source);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""
# After the column exists (a state file of an earlier version gains it first): newest first.
_DATE_INDEX = "CREATE INDEX IF NOT EXISTS articles_by_date ON articles (published_ts DESC, article_id)"

# Tantivy's smallest writer heap per thread; one thread: writes here are one article or one page.
_WRITER_HEAP = 15_000_000
# Another process holding the writer lock (a write, or a repair's page) is waited for this long.
_LOCK_WAIT_S = 60.0
_LATEST = 2**62
_SQLITE_MAX_INT = 2**63 - 1


class LexicalIndexBroken(RuntimeError):
    """The index cannot be read (corrupt, or not an index): ``newsdesk reindex`` rebuilds it."""


@dataclass(frozen=True)
class IndexedChunk:
    """One chunk as the index stores it."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class IndexedArticle:
    """An article version to index: its hash, what filters read, and its committed chunks."""

    article_id: str
    content_hash: str
    title: str
    source: str
    published_ts: int
    chunks: Sequence[IndexedChunk]


@dataclass(frozen=True)
class LexicalHit:
    """A chunk found by BM25: where it is, its text, when its article was published, its score."""

    article_id: str
    start: int
    end: int
    text: str
    published_ts: float
    score: float


@dataclass(frozen=True)
class LexicalFilter:
    """Outlets and a publication-date range, applied inside the index."""

    sources: Sequence[str] | None = None
    since: datetime | None = None
    until: datetime | None = None

    def clauses(self, schema: tantivy.Schema) -> list[tantivy.Query]:
        """Tantivy queries every hit must also match (none when nothing is filtered); they add no score."""
        out: list[tantivy.Query] = []
        if self.sources:
            either = [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "source", s)) for s in self.sources]
            out.append(tantivy.Query.boolean_query(either))
        if self.since is not None or self.until is not None:
            low = timestamp(self.since) if self.since is not None else None
            high = timestamp(self.until) if self.until is not None else None
            out.append(tantivy.Query.range_query(schema, "published_ts", tantivy.FieldType.Integer, low, high))
        return [tantivy.Query.const_score_query(q, 0.0) for q in out]


def index_path(data_dir: Path, collection_prefix: str) -> Path:
    """The folder of the lexical index of the archive ``collection_prefix`` under ``data_dir``."""
    return data_dir / "lexical" / collection_prefix


def from_version(version: ArticleVersion) -> IndexedArticle:
    """What the index keeps of an article version the store has just committed."""
    article = version.article
    return IndexedArticle(
        article_id=article.id,
        content_hash=article.content_hash,
        title=article.title,
        source=article.source or "",
        published_ts=timestamp(article.published_at),
        chunks=[IndexedChunk(c.start, c.end, c.text) for c in version.chunks],
    )


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("terms", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("article_id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("start", stored=True)
    builder.add_integer_field("end", stored=True)
    builder.add_bytes_field("text", stored=True, indexed=False)
    builder.add_text_field("source", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("published_ts", stored=True, indexed=True, fast=True)
    return builder.build()


class LexicalIndex:
    """The index folder: write article versions, remove articles, search with filters.

    Safe from any thread and any process. It is a ``ChangeListener`` of the store, so this
    process's writes are searchable as soon as they commit.
    """

    def __init__(self, path: Path):
        self.path = path
        self.schema = _schema()
        self._write_lock = threading.Lock()  # one writer per process; processes take Tantivy's lock
        self._outlets: tuple[int, list[str]] = (-1, [])
        self.recreated: str | None = None  # why the index was found unreadable and started afresh
        self._open()

    def _open(self) -> None:
        try:
            (self.path / "tantivy").mkdir(parents=True, exist_ok=True)
            self._state = ThreadConnections(self.path / "state.sqlite3")
            db = self._state.get()
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(STATE_SCHEMA)
            if "published_ts" not in {row[1] for row in db.execute("PRAGMA table_info(articles)")}:
                db.execute("ALTER TABLE articles ADD COLUMN published_ts INTEGER")
            db.execute(_DATE_INDEX)
            self._index = tantivy.Index(self.schema, path=str(self.path / "tantivy"), reuse=True)
            self._seen_generation = self.generation()
        except (OSError, ValueError, sqlite3.DatabaseError) as exc:
            raise LexicalIndexBroken(f"the lexical index {self.path} cannot be read: {exc}") from exc

    @classmethod
    def open_or_recreate(cls, path: Path) -> LexicalIndex:
        """Open the index at ``path``, replacing one that cannot be read with an empty one."""
        try:
            return cls(path)
        except LexicalIndexBroken as exc:
            log.warning("%s; starting it afresh (it is rebuilt from the store)", exc)
            shutil.rmtree(path, ignore_errors=True)
            index = cls(path)
            index.recreated = str(exc)
            return index

    def check(self) -> str | None:
        """What is wrong with the index (unreadable, or holding other chunks than its state says), or None."""
        try:
            self._reload()
            searcher = self._index.searcher()
            searcher.search(tantivy.Query.all_query(), 1)
            held = int(searcher.num_docs)
            expected = int(self._state.get().execute("SELECT coalesce(sum(chunks), 0) FROM articles").fetchone()[0])
        except (OSError, ValueError, sqlite3.DatabaseError) as exc:
            return str(exc)
        if held != expected:
            return f"it holds {held} chunks where its state records {expected}"
        return None

    def recreate(self) -> None:
        """Throw the index away and start an empty one (repair of a broken index)."""
        with self._write_lock:
            self._state.close_all()
            shutil.rmtree(self.path, ignore_errors=True)
            self._open()

    # ----- state -------------------------------------------------------------------------

    def get_state(self, key: str) -> str | None:
        """A value of the ``state`` table."""
        row = self._state.get().execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_state(self, key: str, value: str) -> None:
        """Set a value of the ``state`` table."""
        self._state.get().execute(
            "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def hashes(self, article_ids: Sequence[str] | None = None) -> dict[str, str]:
        """The content hash of each indexed article (of these ids, or all)."""
        db = self._state.get()
        if article_ids is None:
            return dict(db.execute("SELECT article_id, content_hash FROM articles").fetchall())
        found: dict[str, str] = {}
        for at in range(0, len(article_ids), 500):
            part = list(article_ids[at : at + 500])
            marks = ",".join("?" * len(part))
            found.update(
                db.execute(f"SELECT article_id, content_hash FROM articles WHERE article_id IN ({marks})", part)
            )
        return found

    def undated(self, limit: int) -> list[str]:
        """Up to ``limit`` indexed articles whose publication time the state lacks (written by an
        earlier version): the follower fills them in (``set_dates``) before the listing is used."""
        rows = (
            self._state.get()
            .execute("SELECT article_id FROM articles WHERE published_ts IS NULL LIMIT ?", (limit,))
            .fetchall()
        )
        return [str(r[0]) for r in rows]

    def set_dates(self, published: dict[str, int]) -> None:
        """Record the publication time of these indexed articles."""
        with self._state_transaction() as db:
            db.executemany(
                "UPDATE articles SET published_ts = ? WHERE article_id = ?", [(ts, i) for i, ts in published.items()]
            )

    def newest(self, where: LexicalFilter, limit: int, offset: int = 0) -> list[str]:
        """Ids of indexed articles passing ``where``, newest first (undated last, ties by id), one page."""
        sql, args = _dated_articles("SELECT article_id", where)
        sql += " ORDER BY published_ts DESC, article_id LIMIT ? OFFSET ?"
        # An offset past SQLite's integer range is past every article: clamp it, an empty page follows.
        page = [min(limit, _SQLITE_MAX_INT), min(offset, _SQLITE_MAX_INT)]
        rows = self._state.get().execute(sql, [*args, *page]).fetchall()
        return [str(r[0]) for r in rows]

    def newest_published(self, where: LexicalFilter) -> int | None:
        """When the newest dated article passing ``where`` was published (seconds since the epoch), or None."""
        sql, args = _dated_articles("SELECT max(published_ts)", where)
        row = self._state.get().execute(f"{sql} AND published_ts > ?", [*args, UNDATED_TS]).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def window(self, where: LexicalFilter, max_chunks: int) -> list[str] | None:
        """Ids of every indexed article passing ``where``, or None when they hold more than
        ``max_chunks`` chunks (a read bounded by ``max_chunks``, however wide the window)."""
        sql, args = _dated_articles("SELECT article_id, chunks", where)
        # Every article has at least one chunk: more articles than ``max_chunks`` is already too many.
        rows = self._state.get().execute(f"{sql} LIMIT ?", [*args, min(max_chunks + 1, _SQLITE_MAX_INT)])
        ids: list[str] = []
        held = 0
        for article_id, chunks in rows:
            held += int(chunks)
            if held > max_chunks:
                return None
            ids.append(str(article_id))
        return ids

    def outlet_counts(self) -> dict[str, int]:
        """Indexed articles per outlet ("" for none), most first."""
        rows = self._state.get().execute(
            "SELECT source, count(*) AS n FROM articles GROUP BY source ORDER BY n DESC, source"
        )
        return {str(source): int(n) for source, n in rows}

    def count(self) -> int:
        """How many chunks the index holds."""
        self._reload()
        return int(self._index.searcher().num_docs)

    def generation(self) -> int:
        """Moves on every write to the index, from any process."""
        value = self.get_state("generation")
        return int(value) if value else 0

    # ----- writing -----------------------------------------------------------------------

    def committed(self, versions: Sequence[ArticleVersion]) -> None:
        """The store committed these versions in this process: index them now."""
        self.put([from_version(v) for v in versions])

    def removed(self, article_ids: Sequence[str]) -> None:
        """The store removed these articles: drop them."""
        self.remove(article_ids)

    def put(self, articles: Iterable[IndexedArticle]) -> None:
        """Index these article versions, replacing whatever the index held for them (one commit)."""
        articles = list(articles)
        if not articles:
            return
        with self._writer() as writer:
            for article in articles:
                writer.delete_documents_by_term("article_id", article.article_id)
                self._add(writer, article, article.chunks)
        self._record(articles, [len(a.chunks) for a in articles])

    def add_chunks(self, article: IndexedArticle, chunks: Sequence[IndexedChunk]) -> None:
        """Append chunks of ``article`` without touching its other chunks or its hash (streamed rebuilds)."""
        self.add_pages([(article, chunks)])

    def add_pages(self, pages: Sequence[tuple[IndexedArticle, Sequence[IndexedChunk]]]) -> None:
        """Append chunks of several articles in one commit (streamed rebuilds)."""
        with self._writer() as writer:
            for article, chunks in pages:
                self._add(writer, article, chunks)
        self._bump()

    def set_hashes(self, articles: Sequence[IndexedArticle], chunk_counts: dict[str, int]) -> None:
        """Record the hash and chunk count indexed for each article (the end of a streamed rebuild)."""
        self._record(articles, [chunk_counts.get(a.article_id, 0) for a in articles])

    def remove(self, article_ids: Sequence[str]) -> None:
        """Drop these articles and their chunks."""
        if not article_ids:
            return
        with self._writer() as writer:
            for article_id in article_ids:
                writer.delete_documents_by_term("article_id", article_id)
        with self._state_transaction() as db:
            db.executemany("DELETE FROM articles WHERE article_id = ?", [(i,) for i in article_ids])

    def _add(self, writer: Any, article: IndexedArticle, chunks: Sequence[IndexedChunk]) -> None:
        terms = tokenize([f"{article.title}\n{c.text}" for c in chunks])
        for chunk, words in zip(chunks, terms, strict=True):
            writer.add_document(
                tantivy.Document(
                    terms=" ".join(words),
                    article_id=article.article_id,
                    start=chunk.start,
                    end=chunk.end,
                    text=chunk.text.encode("utf-8"),
                    source=article.source,
                    published_ts=article.published_ts,
                )
            )

    def _record(self, articles: Sequence[IndexedArticle], chunk_counts: Sequence[int]) -> None:
        with self._state_transaction() as db:
            db.executemany(
                "INSERT INTO articles (article_id, content_hash, chunks, source, published_ts) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET content_hash = excluded.content_hash, "
                "chunks = excluded.chunks, source = excluded.source, published_ts = excluded.published_ts",
                [
                    (a.article_id, a.content_hash, n, a.source, a.published_ts)
                    for a, n in zip(articles, chunk_counts, strict=True)
                ],
            )

    def _bump(self) -> None:
        with self._state_transaction():
            pass

    @contextmanager
    def _state_transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction on the state file that also moves the generation (rolled back on error)."""
        db = self._state.get()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            _bump_generation(db)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    @contextmanager
    def _writer(self) -> Iterator[Any]:
        """Tantivy's writer for one commit (waiting for another process's commit to finish)."""
        with self._write_lock:
            writer = self._acquire()
            try:
                yield writer
            except BaseException:
                writer.rollback()
                raise
            writer.commit()
            writer.wait_merging_threads()  # finishes merges and releases the lock for other processes
            self._index.reload()

    def _acquire(self) -> Any:
        deadline = time.monotonic() + _LOCK_WAIT_S
        while True:
            try:
                return self._index.writer(heap_size=_WRITER_HEAP, num_threads=1)
            except ValueError as exc:
                if "Lock" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    # ----- reading -----------------------------------------------------------------------

    def _reload(self) -> None:
        """See other processes' commits: reload the searcher when the generation moved."""
        generation = self.generation()
        if generation != self._seen_generation:
            self._index.reload()
            self._seen_generation = generation

    @contextmanager
    def _reading(self) -> Iterator[None]:
        # One place says what a read failure is, whichever file failed: the callers (searches on
        # every question) then tell "broken, run reindex" from any other bug.
        try:
            yield
        except (OSError, ValueError, sqlite3.DatabaseError) as exc:
            raise LexicalIndexBroken(f"the lexical index {self.path} cannot be read: {exc}") from exc

    def sources(self) -> list[str]:
        """Every outlet name in the index (cached until the index changes); ``LexicalIndexBroken`` if unreadable."""
        with self._reading():
            return self._sources()

    def _sources(self) -> list[str]:
        generation = self.generation()
        cached_at, names = self._outlets
        if cached_at != generation:
            rows = self._state.get().execute("SELECT DISTINCT source FROM articles WHERE source != ''")
            names = sorted(str(r[0]) for r in rows)
            self._outlets = (generation, names)
        return names

    def share(self, where: LexicalFilter) -> float | None:
        """The fraction of indexed chunks that pass ``where`` (None when the index is empty)."""
        with self._reading():
            return self._share(where)

    def _share(self, where: LexicalFilter) -> float | None:
        self._reload()
        searcher = self._index.searcher()
        total = int(searcher.num_docs)
        if total == 0:
            return None
        clauses = where.clauses(self.schema)
        if not clauses:
            return 1.0
        query = tantivy.Query.boolean_query([(tantivy.Occur.Must, c) for c in clauses])
        found = searcher.search(query, 1, count=True)
        return int(getattr(found, "count", 0) or 0) / total  # tantivy's stubs omit ``count``

    def search(self, query: str, k: int, where: LexicalFilter | None = None) -> list[LexicalHit]:
        """The ``k`` best chunks for ``query`` by BM25 among those passing ``where``, best first."""
        with self._reading():
            return self._search(query, k, where)

    def _search(self, query: str, k: int, where: LexicalFilter | None) -> list[LexicalHit]:
        words = list(dict.fromkeys(t for t in tokenize([query])[0] if t))
        if not words:
            return []
        self._reload()
        text = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "terms", w)) for w in words]
        )
        clauses = (where or LexicalFilter()).clauses(self.schema)
        combined = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in (text, *clauses)]) if clauses else text
        searcher = self._index.searcher()
        hits: list[LexicalHit] = []
        for score, address in searcher.search(combined, max(k, 1), count=False).hits:
            doc = searcher.doc(address)
            hits.append(
                LexicalHit(
                    str(doc["article_id"][0]),
                    int(doc["start"][0]),
                    int(doc["end"][0]),
                    bytes(doc["text"][0]).decode("utf-8"),
                    float(doc["published_ts"][0]),
                    float(score),
                )
            )
        return hits


def _bump_generation(db: sqlite3.Connection) -> None:
    db.execute(
        "INSERT INTO state (key, value) VALUES ('generation', '1') "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
    )


def _dated_articles(select: str, where: LexicalFilter) -> tuple[str, list[object]]:
    """SQL selecting the state's dated articles that pass ``where``, and its arguments."""
    sql = [select, "FROM articles WHERE published_ts IS NOT NULL"]
    args: list[object] = []
    if where.sources:
        sql.append(f"AND source IN ({','.join('?' * len(where.sources))})")
        args.extend(where.sources)
    if where.since is not None:
        sql.append("AND published_ts >= ?")
        args.append(timestamp(where.since))
    if where.until is not None:
        sql.append("AND published_ts <= ?")
        args.append(timestamp(where.until))
    return " ".join(sql), args
