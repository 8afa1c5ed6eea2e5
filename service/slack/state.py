"""The bot's own durable state: one SQLite file in the data folder, shared by every server process.

It holds which Slack events were already handled (``dedupe``) and the answers posted with the
feedback given on them (``feedback``); ``service.state.sqlite`` opens it (WAL mode, so several
processes on one machine, ``newsdesk serve`` workers and ``newsdesk slack``, use it at once).
"""

from __future__ import annotations

from pathlib import Path

from service.settings import ServiceSettings

FILE_NAME = "slack.sqlite3"


def state_path(settings: ServiceSettings) -> Path:
    """``$NEWSDESK_DATA_DIR/slack.sqlite3``."""
    return Path(settings.ingest.data_dir) / FILE_NAME
