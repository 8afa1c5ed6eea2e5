"""``newsdesk serve``: the HTTP API and pages under uvicorn."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from service.cli.malloc_arenas import limit_malloc_arenas
from service.cli.output import fail
from service.runtime import Runtime
from service.settings import ServiceSettings

log = logging.getLogger(__name__)


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default NEWSDESK_HOST, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default NEWSDESK_PORT, 8000).")] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn's log level.")] = "info",
    graceful_timeout: Annotated[
        int, typer.Option(min=0, help="Seconds in-flight requests get to finish on shutdown.")
    ] = 15,
    feeds: Annotated[
        bool, typer.Option("--feeds", help="Also poll the feeds of `newsdesk feeds add` on a background thread.")
    ] = False,
) -> None:
    """Serve the HTTP API, the ask page and citation pages (Ctrl-C or SIGTERM stops gracefully).

    The model, store and retriever are loaded once at start, before the first request is accepted.
    Without NEWSDESK_API_KEYS, writes (adding, deleting articles) are allowed only when listening on a
    loopback address. With --feeds the server also polls the feeds as they come due (any number of
    servers may: each feed is polled by one of them at a time).
    """
    # Imported here: uvicorn and the FastAPI app (every route, the pages, Slack's Bolt adapter)
    # take a while to import, which the other commands never need.
    import uvicorn

    from service.http.app import create_app

    settings = ServiceSettings()
    limit_malloc_arenas(settings.malloc_arenas)  # before any request thread exists
    updates = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    settings = settings.model_copy(update=updates)
    try:
        app = create_app(Runtime(settings), poll_feeds=feeds)
    except ValueError as exc:
        fail(str(exc), code="bad_configuration", exit_code=2)
    logging.getLogger("service").setLevel(logging.INFO)
    logging.getLogger("ingest.feeds").setLevel(logging.INFO)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=log_level,
        timeout_graceful_shutdown=graceful_timeout,
        proxy_headers=False,
        server_header=False,
    )
