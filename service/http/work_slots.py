"""Work slots: how many asks, searches and ingests one server computes at the same time.

Every such request embeds text, runs spaCy and queries Chroma: on two cores, sixteen of them at
once finish no sooner than two or three at a time, but each holds its buffers meanwhile, and on
glibc each thread that computes grows a malloc arena of its own. So the heavy routes take a slot
first; requests beyond the slots wait in the event loop, holding no thread and no memory, and
light routes (``/healthz``, ``/metrics``, citations, article pages) never wait behind them.

Writes (``POST /v1/articles``) have one slot of their own instead. They go one at a time anyway
(the app's ingest lock), and when an ingest took a work slot, an ingest every 2 s held one of the
two slots most of the time, so questions had about one (``bench/load.py``). An ingest now computes
beside the questions; its embedding waits for theirs (``ingest.embedding.turns``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
from fastapi import FastAPI, Request

from ingest.cores import usable_cores


def slot_count(configured: int | None) -> int:
    """The configured number of slots, or by default one per CPU this process may use (at least 2)."""
    if configured:
        return configured
    return max(2, usable_cores())


def install_work_slots(app: FastAPI, slots: int) -> None:
    """Give ``app`` its limiters (called in the lifespan: anyio limiters belong to a running loop)."""
    app.state.work_slots = anyio.CapacityLimiter(slots)
    app.state.write_slots = anyio.CapacityLimiter(1)


async def work_slot(request: Request) -> AsyncIterator[None]:
    """Dependency: hold one work slot while the endpoint computes (asks, searches)."""
    limiter = _limiter(request, "work_slots")
    if limiter is None:  # the app was not started through its lifespan (never in serve)
        yield
        return
    async with limiter:
        yield


async def write_slot(request: Request) -> AsyncIterator[None]:
    """Dependency: hold the write slot while the endpoint stores (one write computes at a time)."""
    # Not a shared async generator under both: a nested generator is finalised in another task, and
    # anyio releases a limiter's token only in the task that borrowed it.
    limiter = _limiter(request, "write_slots")
    if limiter is None:
        yield
        return
    async with limiter:
        yield


def _limiter(request: Request, name: str) -> anyio.CapacityLimiter | None:
    limiter: anyio.CapacityLimiter | None = getattr(request.app.state, name, None)
    return limiter
