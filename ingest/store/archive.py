"""Articles and chunks in two Chroma collections, written so a crash never shows half an article.

Write order for one article version (content hash ``H``):

1. its chunks are added under ids that include ``H`` — invisible so far, because search only
   shows a chunk whose hash equals its article record's hash;
2. the article record is upserted with hash ``H`` — the commit point: the new chunks appear
   and any older version's chunks disappear from search at once;
3. chunks of the article with another hash are deleted.

A run killed between steps leaves only invisible chunks, which the next write of that article
(new, updated or unchanged) removes in step 3. Deleting removes the record first for the same
reason.

Every write also appends to the *change feed* (``changes.py``) between steps 1 and 2, before
its commit point, so no committed write is ever missing from the feed; other servers bring
their derived indexes (the lexical index) up to date from it. After step 3 the store tells
its ``ChangeListener`` (this process's own lexical index) at once. A listener that fails, or a
process killed before telling it, loses nothing: the listener also follows the feed. Every
write also still stamps a new *revision* (shown by ``/healthz``).

The records' shapes are in ``records.py``, the outlet and date filters in ``filters.py``, and what a
failure tells a person in ``errors.py``.
"""

from __future__ import annotations

import json
import logging
import math
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import chromadb
import numpy as np
from chromadb.api.types import Include, Metadata, PyEmbeddings

from ingest.models import Article, Chunk
from ingest.store.changes import OVERLAP_S, Change, ChangeFeed, now_position, seconds_to_positions
from ingest.store.errors import StoreError, describe_failure
from ingest.store.filters import UNDATED_TS, admits, article_filter
from ingest.store.records import (
    article_from,
    article_meta,
    article_vector,
    chroma_where,
    chunk_from,
    chunk_meta,
    documents_of,
    metadatas_of,
    query_rows,
    where_in,
)

log = logging.getLogger(__name__)

_PAGE = 1000
_SWEPT_ID = "orphans-swept"  # meta record: the feed position the last orphan sweep started at
_NO_VECTOR: PyEmbeddings = [[0.0]]  # meta records need a vector; nothing searches them
_ARTICLES_PER_READ = 100  # articles whose chunks one read fetches (about 900 chunks)

# Two plans for a filtered dense query. Chroma's filtered search first reads every match of the filter
# from its metadata tables, so it costs in proportion to the collection (measured at 10k and 116k chunks:
# about 25 us per stored chunk, 0.26 s and 2.7 s). A wider unfiltered query filtered here costs in
# proportion to the results fetched (about 0.5 ms each). query_chunks takes the wide query when it needs
# at most one result per _CHUNKS_PER_WIDE_RESULT stored chunks, or at most _WIDE_ALWAYS results (cheap at
# any size: at 800 articles, bench/dense_filter.py measured 16 ms against Chroma's 53).
_WIDE_ALWAYS = 208
_CHUNKS_PER_WIDE_RESULT = 20
# A third plan, for a narrow window whose articles the caller can name (the lexical index's state): read
# their chunks' vectors and rank them exactly. Measured at 1M chunks (bench/README.md): Chroma's filtered
# search costs about 2.5 us per stored chunk (2.45 s for a one-day window), this about 80 us per chunk in
# the window (0.32 s for that day's 4,145 chunks), so it is taken below one window chunk per
# _CHUNKS_PER_EXACT stored ones, always up to _EXACT_ALWAYS, never past _EXACT_MOST.
_CHUNKS_PER_EXACT = 30
_EXACT_ALWAYS = 500
_EXACT_MOST = 30_000
_COUNT_TTL_S = 60.0  # the collection's size only picks a plan; a minute-old count is good enough


@dataclass(frozen=True)
class ChunkHit:
    """A stored chunk found by a query, with its article's record.

    ``article.text`` is NOT loaded (it is empty): a query touches dozens of articles and
    their full texts would dominate its cost. Fetch the few you keep with ``get_articles``.
    """

    chunk: Chunk
    article: Article
    score: float


@dataclass(frozen=True)
class ArticleVersion:
    """What the store needs to write one article: the record, its chunks and their vectors."""

    article: Article
    chunks: Sequence[Chunk]
    vectors: np.ndarray


class ChangeListener(Protocol):
    """Told of this process's writes right after they commit (the lexical index of this data folder)."""

    def committed(self, versions: Sequence[ArticleVersion]) -> None:
        """These article versions are now the stored ones."""

    def removed(self, article_ids: Sequence[str]) -> None:
        """These articles are gone from the store."""


# A week of changes stays in the feed; a reader further behind repairs from the store.
DEFAULT_CHANGE_RETENTION_S = 7 * 86400.0


class ArchiveStore:
    """The archive: an ``articles`` collection (full text, metadata) and a ``chunks`` collection.

    Both hold vectors of one embedding model; opening a collection made with another model's
    dimension is refused rather than mixing vector spaces.
    """

    def __init__(
        self,
        client: chromadb.ClientAPI,
        prefix: str,
        embed_model: str,
        dimension: int,
        disk_path: Path | None = None,
        change_retention_s: float = DEFAULT_CHANGE_RETENTION_S,
    ):
        self.client = client
        self.prefix = prefix
        self.listeners: list[ChangeListener] = []
        self.disk_path = disk_path  # the embedded archive's folder (None on a Chroma server)
        self.embed_model = embed_model
        self.dimension = dimension
        self._counted: tuple[float, int] | None = None  # (monotonic time, chunks) for plan choice
        space = {"hnsw:space": "cosine", "embed_model": embed_model, "dimension": dimension}
        try:
            self.articles = client.get_or_create_collection(
                f"{prefix}-articles", embedding_function=None, metadata=space
            )
            self.chunks = client.get_or_create_collection(f"{prefix}-chunks", embedding_function=None, metadata=space)
            self._meta = client.get_or_create_collection(f"{prefix}-meta", embedding_function=None)
            self._feed = ChangeFeed(client, prefix, self._meta, change_retention_s)
        except Exception as exc:
            raise self._failure(exc) from exc
        stored = self.chunks.metadata or {}
        if stored.get("dimension") not in (None, dimension):
            raise StoreError(
                f"the archive holds {stored.get('dimension')}-dimensional vectors of {stored.get('embed_model')}, "
                f"but the configured model {embed_model} makes {dimension}: use another data folder or "
                "collection prefix"
            )
        if stored.get("embed_model") not in (None, embed_model):
            log.warning("archive vectors come from %s, queries use %s", stored.get("embed_model"), embed_model)

    def _failure(self, exc: Exception) -> StoreError:
        return describe_failure(exc, self.disk_path)

    def _record_pages(self, collection: Any, size: int = _PAGE * 5) -> Iterator[dict[str, dict[str, Any]]]:
        """Every record's metadata of ``collection`` by id, a page at a time."""
        offset = 0
        while True:
            try:
                got = collection.get(include=["metadatas"], limit=size, offset=offset)
            except Exception as exc:
                raise self._failure(exc) from exc
            if not got["ids"]:
                return
            yield dict(zip(got["ids"], metadatas_of(got), strict=True))
            offset += len(got["ids"])

    # ----- reading -----------------------------------------------------------------------

    def get_article(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        return self.get_articles([article_id]).get(article_id)

    def get_articles(self, ids: Sequence[str], *, with_text: bool = True) -> dict[str, Article]:
        """Stored articles by id (missing ids are simply absent); ``with_text=False`` leaves ``text`` empty."""
        if not ids:
            return {}
        include: Include = ["metadatas", "documents"] if with_text else ["metadatas"]
        try:
            got = self.articles.get(ids=list(dict.fromkeys(ids)), include=include)
        except Exception as exc:
            raise self._failure(exc) from exc
        texts: list[str | None] = list(documents_of(got)) if with_text else [None] * len(got["ids"])
        return {i: article_from(i, m, d) for i, m, d in zip(got["ids"], metadatas_of(got), texts, strict=True)}

    def get_headers(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Article metadata without the text, for checks that need no text (cheaper)."""
        if not ids:
            return {}
        try:
            got = self.articles.get(ids=list(dict.fromkeys(ids)), include=["metadatas"])
        except Exception as exc:
            raise self._failure(exc) from exc
        return dict(zip(got["ids"], metadatas_of(got), strict=True))

    def find_by_fingerprints(self, fingerprints: Sequence[str]) -> dict[str, str]:
        """Map text fingerprints to the id of the article already holding that text."""
        if not fingerprints:
            return {}
        try:
            got = self.articles.get(where=where_in("fingerprint", set(fingerprints)), include=["metadatas"])
        except Exception as exc:
            raise self._failure(exc) from exc
        return {m["fingerprint"]: i for i, m in zip(got["ids"], metadatas_of(got), strict=True)}

    def list_articles(
        self,
        *,
        sources: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Article]:
        """Stored articles, newest first, narrowed by outlet and publication date."""
        # Every record is read in pages and filtered here: Chroma cannot sort by a field, and one
        # filtered read fails beyond 32,766 matches. The lexical index's listing
        # (``ingest.lexical.listing``) answers instead once it has caught up.
        where = article_filter(sources=sources, since=since, until=until)
        rows = sorted(
            (
                (article_id, meta)
                for page in self._record_pages(self.articles)
                for article_id, meta in page.items()
                if where is None or admits(where, meta)
            ),
            key=lambda r: (-int(r[1].get("published_ts", UNDATED_TS)), r[0]),
        )
        page = rows[offset : offset + limit]
        return [article_from(i, m, None) for i, m in page]

    def source_counts(self) -> dict[str, int]:
        """Articles per outlet, most first."""
        counts: dict[str, int] = {}
        for headers in self._record_pages(self.articles):
            for meta in headers.values():
                name = str(meta.get("source") or "(unknown)")
                counts[name] = counts.get(name, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def count(self) -> dict[str, int]:
        """How many articles and chunks the archive holds."""
        try:
            return {"articles": self.articles.count(), "chunks": self.chunks.count()}
        except Exception as exc:
            raise self._failure(exc) from exc

    def query_chunks(
        self,
        vector: np.ndarray,
        k: int,
        where: dict[str, Any] | None = None,
        *,
        share: float | None = None,
        among: Sequence[str] | None = None,
    ) -> list[ChunkHit]:
        """The ``k`` chunks nearest to ``vector`` among committed articles, best first.

        ``share`` is the caller's estimate of the fraction of chunks ``where`` admits. When most
        do, a wider query without the filter, filtered here, is about three times faster than
        Chroma's filtered search (``bench/dense_filter.py``). It finds the same chunks up to the
        approximation of Chroma's HNSW graph, which only the unfiltered search uses (there, 10
        of 180 questions differed, sharing 94 % of their chunks). When too few chunks in the
        wider result pass, Chroma filters after all.

        ``among``, when the caller knows them, names every article ``where`` admits, holding at
        most ``exact_search_limit()[0]`` chunks: their chunks are ranked exactly, without Chroma's
        filter or graph.
        """
        fetch = max(k * 2, k + 8)
        got = None
        if among is not None:
            got = self._exact_among(vector, fetch, among, where)
        elif where is not None and share:
            # The first ``fetch`` admitted chunks of the unfiltered ranking are the filtered query's
            # ``fetch`` nearest (up to HNSW's approximation); the margin covers a share estimated
            # from another index.
            wide = math.ceil(fetch / share * 1.25) + 8
            if wide <= max(_WIDE_ALWAYS, self._approximate_chunks() // _CHUNKS_PER_WIDE_RESULT):
                got = self._query_then_filter(vector, fetch, wide, where)
        if got is None:
            got = self._query(vector, fetch, where)
        metas, docs, dists = got
        headers = self.get_headers([m["article_id"] for m in metas])
        hits: list[ChunkHit] = []
        for meta, doc, dist in zip(metas, docs, dists, strict=False):
            header = headers.get(meta["article_id"])
            if header is None or header.get("content_hash") != meta["content_hash"]:
                continue  # an uncommitted or superseded version
            article = article_from(meta["article_id"], header, None)
            hits.append(ChunkHit(chunk=chunk_from(meta, doc), article=article, score=1.0 - float(dist)))
        return hits[:k]

    def _query(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None
    ) -> tuple[list[Any], list[Any], list[Any]]:
        try:
            got = self.chunks.query(
                query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
                n_results=n,
                where=chroma_where(where),
                include=["metadatas", "documents", "distances"],
            )
        except Exception as exc:
            raise self._failure(exc) from exc
        return query_rows(got)

    def exact_search_limit(self) -> tuple[int, int]:
        """The most chunks a window may hold for ``query_chunks(among=...)`` to be the cheaper plan,
        and about how many chunks are stored (counted at most a minute ago)."""
        stored = self._approximate_chunks()
        return min(_EXACT_MOST, max(_EXACT_ALWAYS, stored // _CHUNKS_PER_EXACT)), stored

    def _exact_among(
        self, vector: np.ndarray, n: int, article_ids: Sequence[str], where: dict[str, Any] | None
    ) -> tuple[list[Any], list[Any], list[Any]]:
        ids: list[str] = []
        vectors: list[Any] = []
        try:
            for at in range(0, len(article_ids), _PAGE):
                batch = article_ids[at : at + _PAGE]
                got = self.chunks.get(where=where_in("article_id", batch), include=["embeddings"])
                ids.extend(got["ids"])
                vectors.extend(got["embeddings"] if got["embeddings"] is not None else [])
        except Exception as exc:
            raise self._failure(exc) from exc
        if not ids:
            return [], [], []
        matrix = np.asarray(vectors, dtype=np.float32)
        query = np.asarray(vector, dtype=np.float32)
        # Chroma's cosine distance, computed here for every chunk of the window.
        norms = np.linalg.norm(matrix, axis=1) * float(np.linalg.norm(query))
        distances = 1.0 - (matrix @ query) / np.where(norms > 0, norms, 1.0)
        nearest = np.argsort(distances, kind="stable")[: n * 2]
        try:
            got = self.chunks.get(ids=[ids[i] for i in nearest], include=["metadatas", "documents"])
        except Exception as exc:
            raise self._failure(exc) from exc
        rows = dict(zip(got["ids"], zip(metadatas_of(got), documents_of(got), strict=True), strict=True))
        metas, docs, dists = [], [], []
        for i in nearest:
            meta, doc = rows.get(ids[i], (None, ""))
            # The caller's list comes from another index, which may trail the store by a catch-up.
            if meta is None or (where is not None and not admits(where, meta)):
                continue
            metas.append(meta)
            docs.append(doc)
            dists.append(float(distances[i]))
            if len(metas) == n:
                break
        return metas, docs, dists

    def _approximate_chunks(self) -> int:
        now = time.monotonic()
        if self._counted is None or now - self._counted[0] > _COUNT_TTL_S:
            try:
                self._counted = (now, self.chunks.count())
            except Exception as exc:
                raise self._failure(exc) from exc
        return self._counted[1]

    def _query_then_filter(
        self, vector: np.ndarray, fetch: int, wide: int, where: dict[str, Any]
    ) -> tuple[list[Any], list[Any], list[Any]] | None:
        metas, docs, dists = self._query(vector, wide, None)
        kept = [i for i, meta in enumerate(metas) if admits(where, meta)]
        if len(kept) < fetch and len(metas) == wide:
            return None  # fewer admitted than needed, and the collection holds more
        kept = kept[:fetch]
        return [metas[i] for i in kept], [docs[i] for i in kept], [dists[i] for i in kept]

    def iter_chunks(self, article_ids: Sequence[str] | None = None) -> Iterator[tuple[Chunk, dict[str, Any]]]:
        """Every committed chunk (of these articles, or of all) with its metadata (for derived indexes).

        Chunks are asked for by article id, a batch of articles at a time, never by offset: Chroma
        skips an offset row by row, so reading the chunks page by page grows with the square of the
        archive (a 1,000-chunk page cost 0.45 s at offset 100k and 1.47 s at 990k).
        """
        for headers in self._header_batches(article_ids):
            if not headers:
                continue
            try:
                got = self.chunks.get(where=where_in("article_id", list(headers)), include=["metadatas", "documents"])
            except Exception as exc:
                raise self._failure(exc) from exc
            for meta, doc in zip(metadatas_of(got), documents_of(got), strict=True):
                header = headers.get(meta["article_id"])
                if header is not None and header.get("content_hash") == meta["content_hash"]:
                    yield chunk_from(meta, doc), meta

    def _header_batches(self, article_ids: Sequence[str] | None) -> Iterator[dict[str, dict[str, Any]]]:
        """Article headers by id, ``_ARTICLES_PER_READ`` at a time: these articles', or every article's."""
        if article_ids is not None:
            ids = list(dict.fromkeys(article_ids))
            for at in range(0, len(ids), _ARTICLES_PER_READ):
                yield self.get_headers(ids[at : at + _ARTICLES_PER_READ])
            return
        for page in self._record_pages(self.articles):
            records = list(page.items())
            for at in range(0, len(records), _ARTICLES_PER_READ):
                yield dict(records[at : at + _ARTICLES_PER_READ])

    def revision(self) -> str:
        """Changes on every write, from any process: derived indexes compare it to know they are stale."""
        try:
            got = self._meta.get(ids=["revision"], include=["metadatas"])
        except Exception as exc:
            raise self._failure(exc) from exc
        return str(metadatas_of(got)[0]["value"]) if got["ids"] else ""

    def article_hashes(self) -> dict[str, str]:
        """Every stored article's id and content hash (what a derived index compares itself with)."""
        return {
            article_id: str(header.get("content_hash", ""))
            for headers in self._record_pages(self.articles)
            for article_id, header in headers.items()
        }

    def changes_since(self, position: int, limit: int = 1000) -> tuple[list[Change], int]:
        """The archive's writes after feed ``position``, oldest first, and the position to ask from next.

        A ``Change(position, article_id, content_hash)`` names an article written (its new
        content hash) or removed (``None``). Positions are writers' clocks in microseconds, so
        a change may appear up to ``ingest.store.changes.OVERLAP_S`` after a later-stamped
        one: re-read that window and treat a change as "look at this article again" (the
        store's record is the truth). Start from ``0`` for everything still kept; a position
        below ``changes_floor()`` has missed trimmed changes.
        """
        try:
            return self._feed.since(position, limit)
        except Exception as exc:
            raise self._failure(exc) from exc

    def changes_floor(self) -> int:
        """The feed holds every change after this position; older ones were trimmed (0: none were)."""
        try:
            return self._feed.floor()
        except Exception as exc:
            raise self._failure(exc) from exc

    def trim_changes(self, before: int) -> None:
        """Drop changes at or before ``before`` (writers trim to the retention on their own)."""
        try:
            self._feed.trim(before)
        except Exception as exc:
            raise self._failure(exc) from exc

    def _tell(self, versions: Sequence[ArticleVersion] = (), removed: Sequence[str] = ()) -> None:
        for listener in self.listeners:
            try:
                if versions:
                    listener.committed(versions)
                if removed:
                    listener.removed(removed)
            except Exception as exc:  # noqa: BLE001 - the write is stored; the listener catches up from the feed
                log.warning("a derived index missed a write (%s); it catches up from the change feed", exc)

    # ----- writing -----------------------------------------------------------------------

    def save(self, versions: Sequence[ArticleVersion], also_clean: Sequence[tuple[str, str]] = ()) -> None:
        """Store new or changed articles (see the module docstring for the crash-safe order).

        ``also_clean`` lists ``(article_id, content_hash)`` of unchanged articles whose leftover
        chunks from an interrupted earlier run should go too.
        """
        if not versions and not also_clean:
            return
        try:
            self._add_chunks(versions)
            if versions:
                self._feed.append([(v.article.id, v.article.content_hash) for v in versions])
                self.articles.upsert(
                    ids=[v.article.id for v in versions],
                    embeddings=np.stack([article_vector(v.vectors, self.dimension) for v in versions]),
                    documents=[v.article.text for v in versions],
                    metadatas=[article_meta(v.article, len(v.chunks), self.embed_model) for v in versions],
                )
            keep = [(v.article.id, v.article.content_hash) for v in versions] + list(also_clean)
            self.chunks.delete(
                where=chroma_where(
                    {
                        "$and": [
                            {"article_id": {"$in": [i for i, _ in keep]}},
                            {"content_hash": {"$nin": [h for _, h in keep]}},
                        ]
                    }
                )
            )
            if versions:
                self._touch()
        except StoreError:
            raise
        except Exception as exc:
            raise self._failure(exc) from exc
        self._tell(versions=versions)

    def _add_chunks(self, versions: Sequence[ArticleVersion]) -> None:
        ids: list[str] = []
        docs: list[str] = []
        metas: list[Metadata] = []
        vectors: list[np.ndarray] = []
        for version in versions:
            article = version.article
            for chunk, vector in zip(version.chunks, version.vectors, strict=False):
                ids.append(f"{article.id}:{article.content_hash[:12]}:{chunk.start}-{chunk.end}")
                docs.append(chunk.text)
                metas.append(chunk_meta(article, chunk))
                vectors.append(vector)
        max_batch = getattr(self.client, "get_max_batch_size", lambda: 5000)()
        for at in range(0, len(ids), max_batch):
            self.chunks.upsert(
                ids=ids[at : at + max_batch],
                embeddings=np.asarray(vectors[at : at + max_batch], dtype=np.float32),
                documents=docs[at : at + max_batch],
                metadatas=metas[at : at + max_batch],
            )

    def add_url(self, article_id: str, url: str) -> bool:
        """Record that a stored article's text was also seen at ``url``; True if it was new."""
        header = self.get_headers([article_id]).get(article_id)
        if header is None:
            return False
        urls = json.loads(header.get("urls") or "[]")
        if url in urls:
            return False
        urls.append(url)
        try:
            self.articles.update(ids=[article_id], metadatas=[{**header, "urls": json.dumps(urls)}])
        except Exception as exc:
            raise self._failure(exc) from exc
        return True

    def delete_article(self, article_id: str) -> bool:
        """Remove the article and every chunk of it; False when there was no such article."""
        try:
            existed = bool(self.articles.get(ids=[article_id], include=[])["ids"])
            if existed:
                self._feed.append([(article_id, None)])
            self.articles.delete(ids=[article_id])
            self.chunks.delete(where={"article_id": article_id})
            if existed:
                self._touch()
        except Exception as exc:
            raise self._failure(exc) from exc
        if existed:
            self._tell(removed=[article_id])
        return existed

    def sweep_orphans(self) -> int:
        """Delete chunks whose article record is gone (a delete interrupted between its two steps).

        A delete names its article in the change feed before it removes anything, so a sweep looks
        only at the removals the feed holds since the last sweep (by any process: the position is
        kept in the store) and costs in proportion to the deletes since, not to the archive. Only
        when that position is older than the trimmed feed does it read every chunk's article id.
        """
        try:
            started = now_position()
            swept = self._meta.get(ids=[_SWEPT_ID], include=["metadatas"])
            position = int(metadatas_of(swept)[0]["value"]) if swept["ids"] else 0
            if position < self._feed.floor():
                orphans = self._orphans_among_every_chunk()
            else:
                orphans = self._orphans_named_by_the_feed(max(0, position - seconds_to_positions(OVERLAP_S)))
            if orphans:
                self._feed.append([(article_id, None) for article_id in sorted(orphans)])
                doomed = sorted(orphans)
                for at in range(0, len(doomed), _PAGE):  # a filter of more ids than SQLite takes fails
                    self.chunks.delete(where=where_in("article_id", doomed[at : at + _PAGE]))
                self._touch()
            self._meta.upsert(ids=[_SWEPT_ID], embeddings=_NO_VECTOR, metadatas=[{"value": started}])
        except Exception as exc:
            raise self._failure(exc) from exc
        if orphans:
            self._tell(removed=sorted(orphans))
        return len(orphans)

    def _orphans_named_by_the_feed(self, position: int) -> set[str]:
        # One read: the feed reads every change after ``position`` whatever the limit, so pages would repeat it.
        changes, _ = self._feed.since(position, limit=sys.maxsize)
        latest = {c.article_id: c.content_hash for c in changes}  # oldest first: the newest change wins
        # A removal followed by a new write of the article is that write's business, not an orphan.
        removed = [article_id for article_id, content_hash in latest.items() if content_hash is None]
        orphans: set[str] = set()
        for at in range(0, len(removed), _PAGE):
            batch = removed[at : at + _PAGE]
            leftover = self.chunks.get(where=where_in("article_id", batch), include=["metadatas"])
            orphans |= {m["article_id"] for m in metadatas_of(leftover)} - set(self.get_headers(batch))
        return orphans

    def _orphans_among_every_chunk(self) -> set[str]:
        orphans: set[str] = set()
        for metas in self._record_pages(self.chunks):
            article_ids = {m["article_id"] for m in metas.values()}
            orphans |= article_ids - set(self.get_headers(sorted(article_ids)))
        return orphans

    def _touch(self) -> None:
        self._meta.upsert(ids=["revision"], embeddings=_NO_VECTOR, metadatas=[{"value": uuid.uuid4().hex}])
