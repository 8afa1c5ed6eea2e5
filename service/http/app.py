"""The FastAPI app: ``create_app(runtime)`` wires routes, pages, access, limits, metrics and errors.

The runtime (model, store, retriever, answerer) is loaded once, in the lifespan, before the server
accepts requests; every request then shares it. Endpoints are plain ``def`` functions, so their
blocking work (embedding, Chroma, spaCy) runs in the threadpool and never stalls the event loop;
the shared parts are safe for that (the embedder serialises its model calls, the lexical index
swaps immutable snapshots, writes go one at a time under the app's ingest lock).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

import anyio
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.cors import CORSMiddleware

from ingest.store import StoreError
from service.access.keys import AccessPolicy
from service.background import STOP_TIMEOUT_S, BackgroundThread
from service.http.docs import install_docs
from service.http.errors import install_error_handlers
from service.http.feed_metrics import FeedMetrics
from service.http.feed_polling import start_feed_polling
from service.http.limits import BodySizeLimit
from service.http.metrics import Metrics, MetricsMiddleware
from service.http.pages.render import STATIC
from service.http.pages.routes import router as pages_router
from service.http.routes.articles import router as articles_router
from service.http.routes.ask import router as ask_router
from service.http.routes.citations import router as citations_router
from service.http.routes.conversations import router as conversations_router
from service.http.routes.feeds import router as feeds_router
from service.http.routes.health import router as health_router
from service.http.routes.search import router as search_router
from service.http.work_slots import install_work_slots, slot_count
from service.runtime import Runtime
from service.settings import ServiceSettings
from service.slack import slack_routes
from service.slack.alerts import start_alerts
from service.slack.routes import configured_bot

log = logging.getLogger(__name__)

DESCRIPTION = """
Answers questions about a news archive with citations a journalist can check.

Every answer rests on stored articles; every citation is a verbatim quote (`quote == article text[start:end]`)
whose id `<article_id>:<start>-<end>` resolves through `/v1/citations/{id}` and opens at `/c/{id}`.

**Access.** Writes (`POST /v1/articles`, `DELETE /v1/articles/{id}`) need an API key when keys are configured
(`NEWSDESK_API_KEYS`); without keys they are allowed only on a server bound to a loopback address.
Reads need a key too when `NEWSDESK_PROTECT_READS=true`. Send the key as `X-API-Key: KEY` or
`Authorization: Bearer KEY`.

**Errors** are always `{"error": {"code", "message"}}` with 400/401/403/404/413/422/500/503.
"""

TAGS = [
    {"name": "answers", "description": "Questions answered from the archive."},
    {"name": "search", "description": "Passages, ranked."},
    {"name": "articles", "description": "What the archive holds; adding and removing articles."},
    {"name": "citations", "description": "Citation ids resolved to their quote."},
    {"name": "feeds", "description": "Feeds polled into the archive."},
    {"name": "operations", "description": "Health and metrics."},
]


def _version() -> str:
    try:
        return version("newsdesk")
    except PackageNotFoundError:
        return "0"


def warm(runtime: Runtime) -> None:
    """Load the model, the answerer, the store and the lexical index now, not on the first request.

    An unreachable store does not stop the server: it starts, ``/healthz`` reports the store, and
    requests that need it answer 503 until it is back (the runtime retries on each use).
    """
    _ = runtime.embedder  # loading is the point: the property loads the model
    answerer = runtime.answerer
    for part in (answerer, getattr(answerer, "fallback", None)):
        try:
            getattr(part, "nlp", None)  # the extractive answerer's spaCy pipeline loads on first use
        except Exception as exc:  # noqa: BLE001 - a missing optional model shows on first use, with its message
            log.warning("could not preload the answerer's language model: %s", exc)
    try:
        runtime.warm_up(wait_for_index=False)  # the lexical follower's thread builds or catches up
    except StoreError as exc:
        log.warning("the archive is not reachable at start (%s); serving anyway, requests that need it get 503", exc)


def create_app(
    runtime: Runtime | None = None,
    *,
    settings: ServiceSettings | None = None,
    warm_up: bool = True,
    poll_feeds: bool = False,
) -> FastAPI:
    """The newsdesk app over ``runtime`` (default: one made from ``settings`` or the environment).

    ``warm_up=False`` skips loading at start (tests with a stand-in runtime). ``poll_feeds`` runs the
    feed poller on a background thread while the app serves (``newsdesk serve --feeds``).
    """
    runtime = runtime if runtime is not None else Runtime(settings or ServiceSettings())
    settings = runtime.settings
    access = AccessPolicy(settings)  # raises for contradictory settings before anything loads

    slack_bot, slack_missing = configured_bot(runtime)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        background: list[BackgroundThread] = []  # stopped, and waited for, at shutdown
        install_work_slots(app, slot_count(settings.work_slots))
        if warm_up:
            await anyio.to_thread.run_sync(warm, runtime)
            # Writes by other servers on the same Chroma reach this one's lexical index unasked.
            background.append(runtime.watch_store())
            if slack_bot is not None:
                background.append(start_alerts(slack_bot, runtime))
        if poll_feeds:
            background.append(start_feed_polling(runtime, app.state.ingest_lock))
        app.state.ready = True
        log.info("newsdesk is ready")
        yield
        app.state.ready = False
        for thread in background:
            thread.signal()
        for thread in background:
            await anyio.to_thread.run_sync(thread.stop, STOP_TIMEOUT_S)
        log.info("newsdesk is shutting down")

    app = FastAPI(
        title="newsdesk",
        version=_version(),
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        docs_url=None,  # served by install_docs from local files; FastAPI's page loads them from a CDN
        redoc_url=None,  # FastAPI's ReDoc page loads its script and fonts from CDNs: unusable offline
    )
    app.state.runtime = runtime
    app.state.access = access
    app.state.metrics = metrics = Metrics()
    metrics.registry.register(FeedMetrics(settings.ingest.feeds_path, lambda: runtime.feeds))
    app.state.ingest_lock = threading.Lock()
    app.state.ready = False

    install_error_handlers(app)
    for router in (
        ask_router,
        conversations_router,
        search_router,
        articles_router,
        feeds_router,
        citations_router,
        health_router,
        pages_router,
    ):
        app.include_router(router)
    app.include_router(slack_routes(runtime, (slack_bot, slack_missing)))
    install_docs(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # Added innermost first: metrics see every response, including a 413 or a CORS preflight.
    app.add_middleware(
        BodySizeLimit,
        default=settings.max_body_bytes,
        per_route={("POST", "/v1/articles"): settings.max_article_body_bytes},
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Accept", "Authorization", "Content-Type", "X-API-Key"],
            max_age=600,
        )
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return app


def app_from_environment() -> FastAPI:
    """For ``uvicorn --factory service.http.app:app_from_environment``."""
    return create_app()
