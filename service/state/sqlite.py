"""SQLite files in the data folder: the one implementation lives in ``ingest.state.sqlite``.

It lives in ingest because ingest's own state (the lexical index, the feed poller) keeps such
files too (``ingest`` never imports ``service``); this name stays for the service's own state
(Slack, conversations).
"""

from ingest.state.sqlite import connect, prepare

__all__ = ["connect", "prepare"]
