"""Work slots: how many asks, searches and ingests one server computes at the same time.

Every such request embeds text, runs spaCy and queries Chroma: on two cores, sixteen of them at
once finish no sooner than two or three at a time, but each holds its buffers meanwhile, and on
glibc each thread that computes grows a malloc arena of its own. So the heavy routes take a slot
first; requests beyond the slots wait in the event loop, holding no thread and no memory, and
light routes (``/healthz``, ``/metrics``, citations, article pages) never wait behind them.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import anyio
from fastapi import FastAPI, Request


def slot_count(configured: int | None) -> int:
    """The configured number of slots, or by default one per CPU this process may use (at least 2)."""
    if configured:
        return configured
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 2
    return max(2, cpus)


def install_work_slots(app: FastAPI, slots: int) -> None:
    """Give ``app`` its limiter (called in the lifespan: anyio limiters belong to a running loop)."""
    app.state.work_slots = anyio.CapacityLimiter(slots)


async def work_slot(request: Request) -> AsyncIterator[None]:
    """Dependency: hold one work slot while the endpoint computes."""
    limiter: anyio.CapacityLimiter | None = getattr(request.app.state, "work_slots", None)
    if limiter is None:  # the app was not started through its lifespan (never in serve)
        yield
        return
    async with limiter:
        yield
