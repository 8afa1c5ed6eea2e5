"""How an article and its chunks are written as Chroma records, and read back.

Chroma's result types allow None for every field and its filter types are invariant lists: the
readers here take its results as the plain rows this package wrote, and hand it the filters built
in :mod:`ingest.store.filters`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

import numpy as np
from chromadb.api.types import GetResult, QueryResult, Where

from ingest.models import Article, Chunk
from ingest.store.filters import timestamp


def article_vector(vectors: np.ndarray, dimension: int) -> np.ndarray:
    """The article record's vector: the normalised mean of its chunks' vectors (zeros for no chunks)."""
    # The mean of the chunk vectors stands for the whole article: free, and good enough
    # for "more like this" at article level.
    if len(vectors) == 0:
        return np.zeros(dimension, dtype=np.float32)
    mean = np.asarray(vectors, dtype=np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean


def article_meta(article: Article, chunks: int, embed_model: str) -> dict[str, Any]:
    """The article record's metadata (its text is the record's document)."""
    meta: dict[str, Any] = {
        "title": article.title,
        "published_ts": timestamp(article.published_at),
        "authors": json.dumps(article.authors),
        "urls": json.dumps(article.urls),
        "content_hash": article.content_hash,
        "fingerprint": article.fingerprint,
        "chunks": chunks,
        "embed_model": embed_model,
        "ingested_at": (article.ingested_at or datetime.now(UTC)).isoformat(),
    }
    optional = {
        "source": article.source,
        "url": article.url,
        "place": article.place,
        "published_at": article.published_at.isoformat() if article.published_at else None,
    }
    meta.update({k: v for k, v in optional.items() if v is not None})
    return meta


def chunk_meta(article: Article, chunk: Chunk) -> dict[str, Any]:
    """A chunk record's metadata, with its article's hash, outlet and date so filters need no join."""
    meta: dict[str, Any] = {
        "article_id": article.id,
        "content_hash": article.content_hash,
        "index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
    }
    if article.source is not None:
        meta["source"] = article.source
    meta["published_ts"] = timestamp(article.published_at)
    return meta


def article_from(article_id: str, meta: dict[str, Any], text: str | None) -> Article:
    """The ``Article`` an article record holds (``text`` None: not fetched, left empty)."""
    published = meta.get("published_at")
    ingested = meta.get("ingested_at")
    return Article(
        id=article_id,
        title=meta.get("title", ""),
        text=text or "",
        source=meta.get("source"),
        authors=json.loads(meta.get("authors") or "[]"),
        published_at=datetime.fromisoformat(published) if published else None,
        url=meta.get("url"),
        urls=json.loads(meta.get("urls") or "[]"),
        place=meta.get("place"),
        content_hash=meta.get("content_hash", ""),
        fingerprint=meta.get("fingerprint", ""),
        chunk_count=int(meta.get("chunks", 0)),
        ingested_at=datetime.fromisoformat(ingested) if ingested else None,
    )


def chunk_from(meta: dict[str, Any], text: str) -> Chunk:
    """The ``Chunk`` a chunk record holds."""
    return Chunk(article_id=meta["article_id"], index=meta["index"], start=meta["start"], end=meta["end"], text=text)


def metadatas_of(got: GetResult) -> list[dict[str, Any]]:
    """The metadata of each record a ``get`` returned."""
    return [dict(m or {}) for m in got["metadatas"] or []]


def documents_of(got: GetResult) -> list[str]:
    """The document of each record a ``get`` returned ("" for none)."""
    return [d or "" for d in got["documents"] or []]


def query_rows(got: QueryResult) -> tuple[list[Any], list[Any], list[Any]]:
    """The metadatas, documents and distances of a one-vector ``query``."""
    metas, docs, dists = got["metadatas"] or [[]], got["documents"] or [[]], got["distances"] or [[]]
    return [dict(m or {}) for m in metas[0]], list(docs[0]), list(dists[0])


def chroma_where(where: dict[str, Any] | None) -> Where | None:
    """A filter of :func:`ingest.store.filters.article_filter`, typed as Chroma takes it."""
    return cast("Where | None", where)


def where_in(field: str, values: Sequence[str] | set[str]) -> Where:
    """A filter on ``field`` being one of ``values``."""
    return cast(Where, {field: {"$in": sorted(values)}})
