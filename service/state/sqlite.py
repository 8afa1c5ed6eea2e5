"""SQLite files in the data folder: the one implementation lives in ``ingest.state.sqlite``.

It moved there so that ingest's feed poller can share it (``ingest`` never imports ``service``);
this name stays for the service's own state (Slack, conversations).
"""

from __future__ import annotations

from ingest.state.sqlite import connect, prepare

__all__ = ["connect", "prepare"]
