"""The bot's own durable state: one SQLite file in the data folder, shared by every server process.

It holds which Slack events were already handled (``dedupe``) and the answers posted with the
feedback given on them (``feedback``). SQLite in WAL mode with a busy timeout lets several
processes on one machine (``newsdesk serve`` workers, ``newsdesk slack``) use it at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from service.settings import ServiceSettings

FILE_NAME = "slack.sqlite3"


def state_path(settings: ServiceSettings) -> Path:
    """``$NEWSDESK_DATA_DIR/slack.sqlite3``."""
    return Path(settings.ingest.data_dir) / FILE_NAME


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
