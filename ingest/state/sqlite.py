"""SQLite files in the data folder, shared by every newsdesk process on the machine.

WAL mode with a busy timeout lets several processes (``newsdesk serve`` workers, ``newsdesk
slack``) read and write one file at once; each call opens its own short-lived connection, so any
thread may use these.
"""

from __future__ import annotations

import sqlite3
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
