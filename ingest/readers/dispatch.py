"""Bytes of a known kind to the reader for that kind."""

from __future__ import annotations

from collections.abc import Iterator

from ingest.models import ReadItem
from ingest.readers.detect import Kind
from ingest.readers.feeds import read_feed
from ingest.readers.html import read_html
from ingest.readers.jsonl import read_json
from ingest.readers.plaintext import read_plaintext
from ingest.settings import IngestSettings

__all__ = ["read_bytes"]


def read_bytes(
    data: bytes,
    kind: Kind,
    origin: str,
    settings: IngestSettings,
    *,
    url: str | None = None,
    charset: str | None = None,
    fetch: bool = False,
) -> Iterator[ReadItem]:
    """Read ``data`` with the reader for ``kind``; every reader yields drafts or failures, never raises."""
    if kind == "html":
        return read_html(data, origin, settings, url=url, charset=charset, fetch=fetch)
    if kind == "feed":
        return read_feed(data, origin, settings, url=url, charset=charset, fetch=fetch)
    if kind in ("json", "jsonl"):
        # "json" also accepts one object per line; "jsonl" is strictly line by line.
        lines = True if kind == "jsonl" else None
        return read_json(data, origin, settings, url=url, charset=charset, fetch=fetch, lines=lines)
    return read_plaintext(data, origin, settings, url=url, charset=charset, fetch=fetch)
