"""The registry of format readers, and reading content of a known kind with the right one."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from ingest.models import ReadItem
from ingest.readers.detect import Kind
from ingest.readers.feeds import read_feed
from ingest.readers.html import read_html
from ingest.readers.jsonl import read_json, read_jsonl
from ingest.readers.plaintext import read_plaintext
from ingest.readers.protocol import Reader, ReadRequest

__all__ = ["READERS", "read_as"]

# Every format newsdesk reads, by the kind ``ingest.readers.detect`` names it. A ``.json`` file
# may turn out to hold one object per line ("json" reads it as JSONL then); "jsonl" is strictly
# line by line.
READERS: Mapping[Kind, Reader] = MappingProxyType(
    {
        "text": read_plaintext,
        "html": read_html,
        "json": read_json,
        "jsonl": read_jsonl,
        "feed": read_feed,
    }
)


def read_as(kind: Kind, request: ReadRequest) -> Iterator[ReadItem]:
    """Read ``request`` with the reader for ``kind``; every reader yields drafts or failures, never raises."""
    return READERS[kind](request)
