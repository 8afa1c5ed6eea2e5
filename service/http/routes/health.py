"""``GET /healthz`` (liveness, and whether the store answers) and ``GET /metrics`` (Prometheus)."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from ingest.lexical import LexicalFollower
from service.http.auth import require_read
from service.http.deps import metrics_of, runtime_of
from service.http.schemas import Health

router = APIRouter(tags=["operations"])


@router.get(
    "/healthz",
    response_model=Health,
    response_model_exclude_none=True,
    summary="Liveness, and whether the archive can be reached",
)
def healthz(request: Request) -> dict[str, Any]:
    """Always 200 while the process serves; ``status`` is ``degraded`` when the store is unreachable."""
    runtime = runtime_of(request)
    store: dict[str, Any]
    try:
        store = {"reachable": True, **runtime.store.count(), "revision": runtime.store.revision()}
    except Exception as exc:  # noqa: BLE001 - any failure means: not reachable; reported, not raised
        store = {"reachable": False, "error": str(exc)[:300]}
    health: dict[str, Any] = {
        "status": "ok" if store["reachable"] else "degraded",
        "ready": bool(request.app.state.ready),
        "store": store,
    }
    # Only once the store is open (opening it attaches the index): a health check never opens it.
    follower = runtime.__dict__.get("_lexical_follower")
    if follower is not None:
        health["lexical"] = lexical_health(follower, runtime.settings.lexical_refresh_s)
    return health


def lexical_health(follower: LexicalFollower, refresh_s: float) -> dict[str, Any]:
    """How far this server's lexical index has followed the store's change feed."""
    status = follower.status
    ago = time.time() - status.last_success if status.last_success else None
    try:
        chunks: int | None = follower.index.count()
    except sqlite3.DatabaseError:
        chunks = None
    return {
        "chunks": chunks,
        "position": status.applied_position,
        "caught_up_s_ago": round(ago, 3) if ago is not None else None,
        "repairing": status.repairing,
        # Caught up within a few ticks of the follower: writes made elsewhere before then are in.
        "current": ago is not None and not status.repairing and ago <= max(5.0, 5 * refresh_s),
        "error": status.error,
    }


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}}},
    dependencies=[Depends(require_read)],
)
def metrics(request: Request) -> Response:
    """Requests and latency by route, answers and abstentions, ingested articles."""
    return Response(generate_latest(metrics_of(request).registry), media_type=CONTENT_TYPE_LATEST)
