"""``GET /healthz`` (liveness, and whether the store answers) and ``GET /metrics`` (Prometheus)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

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
    lexical = runtime.__dict__.get("lexical")  # only if already loaded: a health check never builds it
    if lexical is not None and lexical.revision:
        health["lexical"] = {
            "revision": lexical.revision,
            "chunks": lexical.size,
            "current": store.get("revision") == lexical.revision,
        }
    return health


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
