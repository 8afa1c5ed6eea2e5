"""SQLite files in the data folder, shared by every server process on the machine.

The helpers live in ``ingest.shared_sqlite``, since the lexical index (written by ingest) keeps
one such file too; the server's state files (Slack dedupe, feedback, conversations) use them
from here.
"""

from ingest.shared_sqlite import connect, prepare

__all__ = ["connect", "prepare"]
