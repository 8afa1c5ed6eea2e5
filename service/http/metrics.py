"""Prometheus metrics: requests and latency by route template, answers vs abstentions, ingests.

Each app has its own registry (so several apps in one process, as in tests, do not collide).
Routes are labelled by their template (``/v1/articles/{article_id}``), never the raw path, so the
number of series stays bounded; paths that match no route count as ``unmatched``.
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.answer.models import Answer

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """The app's instruments."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "newsdesk_http_requests_total",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "newsdesk_http_request_duration_seconds",
            "Time from request to the last byte of the response.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.answers = Counter(
            "newsdesk_answers_total",
            "Answers given (answered) and declined (abstained), by channel.",
            ["outcome", "channel"],
            registry=self.registry,
        )
        self.ingested = Counter(
            "newsdesk_ingested_articles_total",
            "Articles sent to POST /v1/articles, by outcome.",
            ["status"],
            registry=self.registry,
        )
        self.deleted = Counter("newsdesk_deleted_articles_total", "Articles deleted over HTTP.", registry=self.registry)

    def count_answer(self, answer: Answer, channel: str) -> None:
        """One more answer or abstention."""
        self.answers.labels("answered" if answer.answered else "abstained", channel).inc()

    def count_ingest(self, status: str, n: int = 1) -> None:
        """Articles ingested with this outcome."""
        self.ingested.labels(status).inc(n)


def route_template(scope: Scope) -> str:
    """The matched route's path template, or ``unmatched``."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path or "/"
    return "unmatched"


class MetricsMiddleware:
    """Counts every HTTP request and times it to its last byte (streams included)."""

    def __init__(self, app: ASGIApp, metrics: Metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        recorded = False

        def record() -> None:
            nonlocal recorded
            if recorded:
                return
            recorded = True
            method, route = scope.get("method", ""), route_template(scope)
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                record()

        try:
            await self.app(scope, receive, observed)
        finally:
            record()
