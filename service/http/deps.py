"""What endpoints take from the app: its runtime, metrics and locks."""

from __future__ import annotations

import threading

from fastapi import Request

from service.http.metrics import Metrics
from service.runtime import Runtime
from service.settings import ServiceSettings


def runtime_of(request: Request) -> Runtime:
    """The process's loaded parts (model, store, retriever, asker)."""
    return request.app.state.runtime


def settings_of(request: Request) -> ServiceSettings:
    """The service settings the app runs with."""
    return request.app.state.runtime.settings


def metrics_of(request: Request) -> Metrics:
    """The app's Prometheus instruments."""
    return request.app.state.metrics


def ingest_lock_of(request: Request) -> threading.Lock:
    """Held while an article is ingested: one write at a time (embedding is serialised anyway)."""
    return request.app.state.ingest_lock
