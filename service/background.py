"""A long-running server's background work: a daemon thread with the event that stops it.

The servers follow the store's change feed, post topic alerts and poll feeds on threads of their
own. Setting the event is not enough at shutdown: a thread still inside a native library (the
lexical index, onnxruntime, SQLite) while the interpreter finalises can crash the process (a
segmentation fault instead of `newsdesk serve`'s exit code, seen when its port was taken). So
stopping waits for the thread, within a bound.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["STOP_TIMEOUT_S", "BackgroundThread", "start_background"]

log = logging.getLogger(__name__)

# How long a server waits for each background thread at shutdown: a feed poll mid-fetch or an index
# catching up may take longer, and is then left (logged) rather than holding the shutdown.
STOP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class BackgroundThread:
    """A started daemon thread running ``target(stop_event)``."""

    thread: threading.Thread
    stop_event: threading.Event

    def signal(self) -> None:
        """Ask the thread to stop, without waiting (stop several at once, then wait for each)."""
        self.stop_event.set()

    def stop(self, timeout_s: float) -> bool:
        """Ask the thread to stop and wait up to ``timeout_s``; whether it has ended."""
        self.stop_event.set()
        self.thread.join(timeout_s)
        if self.thread.is_alive():
            log.warning("%s is still busy after %gs; leaving it", self.thread.name, timeout_s)
            return False
        return True


def start_background(target: Callable[[threading.Event], None], name: str) -> BackgroundThread:
    """Run ``target(stop_event)`` on a daemon thread named ``name``; it should return once the event is set."""
    stop_event = threading.Event()
    thread = threading.Thread(target=target, args=(stop_event,), daemon=True, name=name)
    thread.start()
    return BackgroundThread(thread, stop_event)
