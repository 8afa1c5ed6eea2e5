"""Fewer malloc arenas for the long-running commands (``newsdesk serve``, ``newsdesk slack``).

glibc gives each thread that allocates while others do an arena of its own, up to eight per
core, and memory freed in one arena is never handed to another. A server whose request threads
take turns at embedding, spaCy and Chroma therefore keeps growing its resident memory long after
its working set stopped growing (bench/load.py measured it). Capping the arenas, as
``MALLOC_ARENA_MAX`` does, trades a little allocation contention for flat memory; the cap must
be set before the threads start, so the commands call this first.
"""

from __future__ import annotations

import ctypes
import logging
import os

log = logging.getLogger(__name__)

# From glibc's malloc.h: mallopt's parameter for the largest number of arenas.
M_ARENA_MAX = -8


def limit_malloc_arenas(count: int) -> bool:
    """Cap this process's malloc arenas at ``count`` (0: leave glibc's default); whether it took effect.

    An explicit ``MALLOC_ARENA_MAX`` in the environment wins: glibc has read it already. On a C
    library without ``mallopt`` (musl, macOS) nothing happens.
    """
    if count <= 0 or "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    applied = mallopt(M_ARENA_MAX, count) == 1
    if not applied:
        log.debug("mallopt(M_ARENA_MAX, %d) was refused", count)
    return applied
