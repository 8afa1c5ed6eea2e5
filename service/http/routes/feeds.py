"""``GET /v1/feeds``: the feeds polled into the archive, each with its last poll, error and next poll."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from fastapi import APIRouter, Depends, Request

from service.http.auth import require_read
from service.http.deps import runtime_of
from service.http.errors import ApiError
from service.http.schemas import FeedList, error_responses

router = APIRouter(tags=["feeds"])


@router.get(
    "/v1/feeds",
    response_model=FeedList,
    summary="Feeds polled into the archive, with their state",
    responses=error_responses(401, 503),
    dependencies=[Depends(require_read)],
)
def list_feeds(request: Request) -> dict[str, Any]:
    """Every feed of this machine: last poll, last success, last new article, last error, next poll, counts."""
    runtime = runtime_of(request)
    if not runtime.settings.ingest.feeds_path.exists():
        return {"feeds": []}  # no feed was ever added here; reading would create the file
    try:
        feeds = runtime.feeds.all()
    except sqlite3.Error as exc:
        raise ApiError(503, f"the feed state could not be read: {exc}", code="state_unavailable") from None
    now = time.time()
    return {"feeds": [f.record(now).model_dump() for f in feeds]}
