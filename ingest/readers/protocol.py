"""What every format reader takes and gives: one ``ReadRequest`` in, drafts and failures out.

A reader reads bytes (or text) whose format is already known — plain text, HTML, JSON, JSONL or a
feed — and yields one ``ArticleDraft`` or ``ReadFailure`` per article it finds; it never raises
for bad input (``ingest.readers.drafts.guarded``). Which reader reads which format is the registry
in ``ingest.readers.dispatch``; where the bytes come from (a file, a URL) is not a reader's concern.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from ingest.models import ReadItem
from ingest.settings import IngestSettings

__all__ = ["ReadRequest", "Reader"]


@dataclass(frozen=True)
class ReadRequest:
    """One source's content, and what a reader needs to know about it.

    ``data``: the bytes of a file or response (text is accepted too). ``origin``: how failures and
    drafts name the source (a path or a URL; readers add ``:LINE`` or ``#N`` for parts of it).
    ``url``: the address the data came from, when it came from the network; a reader uses it to
    resolve relative links and as the article's URL when the content names none. ``charset``: the
    encoding a server declared, else the reader detects it. ``fetch``: for feeds, fetch the full page
    of entries that carry only a summary (other formats hold whole articles and ignore it).
    """

    data: bytes | str
    origin: str
    settings: IngestSettings
    url: str | None = None
    charset: str | None = None
    fetch: bool = False


class Reader(Protocol):
    """A format reader: every draft or failure in the request's content, never an exception."""

    def __call__(self, request: ReadRequest, /) -> Iterator[ReadItem]: ...
