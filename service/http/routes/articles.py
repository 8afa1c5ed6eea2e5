"""``/v1/articles``: add (a JSON article or a URL), list, show and delete stored articles.

Article ids are 16 lowercase hex characters; any other id is answered 404 without asking the store.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response

from ingest.identity import ID_PATTERN
from ingest.lexical.listing import newest_articles
from ingest.models import ArticleDraft, IngestOutcome, ReadFailure
from ingest.readers import read_sources
from ingest.readers.jsonl import draft_from_object
from service.http.auth import require_read, require_write
from service.http.deps import ingest_lock_of, metrics_of, runtime_of
from service.http.errors import ApiError
from service.http.limits import MAX_LIST_LIMIT
from service.http.routes.search import sources_param, window_params
from service.http.schemas import (
    ArticleDetail,
    ArticleIn,
    ArticleList,
    DeleteResult,
    IngestResult,
    error_responses,
)
from service.http.work_slots import write_slot
from service.retrieval.window import end_of, start_of

router = APIRouter(tags=["articles"])

# A URL that turns out to be a feed is read whole, up to this many entries.
MAX_ITEMS_PER_URL = 200

ArticleId = Annotated[str, Path(description="16 lowercase hex characters.", examples=["7cad39852b97a73a"])]


def checked_id(article_id: str) -> str:
    """``article_id`` if it can be an article id; 404 otherwise (the store is not asked)."""
    if not ID_PATTERN.fullmatch(article_id):
        raise ApiError(404, f"no article {article_id[:40]!r}: article ids are 16 lowercase hex characters")
    return article_id


@router.post(
    "/v1/articles",
    status_code=201,
    response_model=IngestResult,
    response_model_exclude_none=True,
    summary="Store an article (JSON), or fetch and store the article at a URL",
    responses=error_responses(401, 403, 413, 422, 503),
    dependencies=[Depends(require_write), Depends(write_slot)],
)
def add_article(request: Request, response: Response, article: Annotated[ArticleIn, Body()]) -> dict[str, Any]:
    """Ingest one article; ``status`` says whether it was created, updated or already stored unchanged."""
    runtime = runtime_of(request)
    settings = runtime.settings.ingest
    fields = article.fields()
    if article.is_url_only():
        url = web_url(str(fields["url"]))
        items = []
        for item in read_sources([url], settings, source_name=fields.get("source")):
            items.append(item)
            if len(items) >= MAX_ITEMS_PER_URL:
                break
        if not items:
            raise ApiError(422, f"nothing to read at {url}", code="invalid_article")
    else:
        items = [draft_from_object(fields, "POST /v1/articles", settings)]
    drafts = [i for i in items if isinstance(i, ArticleDraft)]
    if not drafts:
        failure = next(i for i in items if isinstance(i, ReadFailure))
        raise ApiError(422, f"cannot read the article: {failure.reason}", code="invalid_article")

    ingestor = runtime.ingestor
    outcomes: list[IngestOutcome] = []
    with ingest_lock_of(request):
        for draft in drafts:
            outcomes.append(ingestor.ingest_one(draft))
    metrics = metrics_of(request)
    for outcome in outcomes:
        metrics.count_ingest(outcome.status)
    stored = [o for o in outcomes if o.status != "failed"]
    if not stored:
        raise ApiError(422, f"cannot store the article: {outcomes[0].reason}", code="invalid_article")
    first = _result(stored[0])
    response.headers["Location"] = f"/v1/articles/{first['id']}"
    if len(items) > 1:
        first["articles"] = [_result(o) for o in outcomes]
    return first


def web_url(value: str) -> str:
    """``value`` stripped if it is an http(s) URL; 422 otherwise.

    The ingest readers take paths too (the CLI reads files and folders): over HTTP only the web
    may be read, never the server's own files (``{"url": "/etc"}``).
    """
    url = value.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise ApiError(422, f"url: {url[:200]!r} is not a valid URL ({exc})", code="invalid_article") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise ApiError(422, f"url: only http and https URLs are fetched, not {url[:200]!r}", code="invalid_article")
    return url


def _result(outcome: IngestOutcome) -> dict[str, Any]:
    return {
        "id": outcome.id or "",
        "status": outcome.status,
        "chunks": outcome.chunks,
        "title": outcome.title,
        "reason": outcome.reason,
    }


@router.get(
    "/v1/articles",
    response_model=ArticleList,
    summary="Stored articles, newest first",
    responses=error_responses(401, 422, 503),
    dependencies=[Depends(require_read)],
)
def list_articles(
    request: Request,
    source: Annotated[list[str] | None, Query(description="Only this outlet (repeatable).")] = None,
    since: Annotated[str | None, Query(description="Published on or after this date.")] = None,
    until: Annotated[str | None, Query(description="Published on or before this date.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """A page of article records (no text) with their chunk counts."""
    since_day, until_day, _ = window_params(since, until)
    runtime = runtime_of(request)
    sources = sources_param(source)
    found = newest_articles(
        runtime.lexical_follower,
        sources=runtime.lexical.outlets_named(sources).names if sources else None,
        since=start_of(since_day),
        until=end_of(until_day),
        limit=limit,
        offset=offset,
    )
    return {"articles": [a.record() | {"chunks": a.chunk_count} for a in found], "limit": limit, "offset": offset}


@router.get(
    "/v1/articles/{article_id}",
    response_model=ArticleDetail,
    summary="One stored article with its text",
    responses=error_responses(401, 404, 503),
    dependencies=[Depends(require_read)],
)
def get_article(request: Request, article_id: ArticleId) -> dict[str, Any]:
    """The article record plus ``text``, ``urls``, ``place`` and ``chunks``."""
    article = runtime_of(request).store.get_article(checked_id(article_id))
    if article is None:
        raise ApiError(404, f"no article {article_id}")
    return article.record(with_text=True) | {"chunks": article.chunk_count}


@router.delete(
    "/v1/articles/{article_id}",
    response_model=DeleteResult,
    summary="Remove an article and all its chunks",
    responses=error_responses(401, 403, 404, 503),
    dependencies=[Depends(require_write)],
)
def delete_article(request: Request, article_id: ArticleId) -> dict[str, str]:
    """Delete; its citation ids stop resolving."""
    checked_id(article_id)
    with ingest_lock_of(request):
        deleted = runtime_of(request).store.delete_article(article_id)
    if not deleted:
        raise ApiError(404, f"no article {article_id}")
    metrics_of(request).deleted.inc()
    return {"id": article_id, "status": "deleted"}
