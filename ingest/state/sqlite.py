"""SQLite files in the data folder, shared by every process on the machine (servers, ``newsdesk ingest``).

WAL mode with a busy timeout lets several processes (``newsdesk serve`` workers, ``newsdesk
slack``) read and write one file at once; each call opens its own short-lived connection, so any
thread may use these.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A short-lived connection in autocommit mode (one per call: safe from any thread)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=10.0, isolation_level=None)
    try:
        connection.execute("PRAGMA busy_timeout = 10000")
        connection.row_factory = sqlite3.Row
        yield connection
    finally:
        connection.close()


def prepare(path: Path, schema: str) -> None:
    """Create the tables of ``schema`` (idempotent) and switch the file to WAL mode."""
    with connect(path) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.executescript(schema)


class ThreadConnections:
    """One long-lived connection per thread to one file, for files read on every request.

    ``connect`` opens a connection per call, which is right for rare writes; a connection's
    page cache lives and dies with it, so an index searched on every question keeps its
    connections (a thread may not use another thread's connection).
    """

    def __init__(self, path: Path, pragmas: tuple[str, ...] = ()):
        self.path = path
        self.pragmas = pragmas
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []

    def get(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use), in autocommit mode."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA busy_timeout = 10000")
            for pragma in self.pragmas:
                connection.execute(pragma)
            self._local.connection = connection
            with self._lock:
                self._all.append(connection)
        return connection

    def close_all(self) -> None:
        """Close every thread's connection (before the file is replaced); threads reopen on next use."""
        with self._lock:
            for connection in self._all:
                connection.close()
            self._all.clear()
        self._local = threading.local()
