"""Readers: turn sources (files, folders, URLs) into ``ArticleDraft``s, or ``ReadFailure``s.

A bad item fails alone with a reason and its origin (a path, ``path:LINE`` for a JSONL line,
``path#N`` for the N-th element of a JSON list or entry of a feed, the entry's link, or the URL);
every good item is still yielded. Readers never raise for bad input.

Each format has one reader taking a ``ReadRequest`` (``protocol``); ``dispatch`` holds the
registry of them by kind, ``detect`` tells the kind, ``files`` and ``web`` read paths and URLs
(``safe_fetch`` does the fetching).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from ingest.models import ArticleDraft, ReadFailure, ReadItem
from ingest.readers.drafts import one_line
from ingest.readers.files import read_path
from ingest.readers.protocol import Reader, ReadRequest
from ingest.readers.safe_fetch import FetchedPage, FetchError, fetch_url
from ingest.readers.web import read_url
from ingest.settings import IngestSettings

__all__ = [
    "FetchError",
    "FetchedPage",
    "ReadRequest",
    "Reader",
    "fetch_url",
    "read_path",
    "read_sources",
    "read_url",
]


def _scheme(source: str) -> str:
    try:
        scheme = urlsplit(source).scheme.lower()
    except ValueError:
        return ""
    # "C:\\news" has a one-letter "scheme"; it is a Windows path, not a URL.
    return scheme if len(scheme) > 1 else ""


def read_sources(
    sources: Iterable[str | os.PathLike[str]],
    settings: IngestSettings,
    *,
    fetch: bool = False,
    source_name: str | None = None,
) -> Iterator[ReadItem]:
    """Read every source in order: each a file path, a folder (recursive), or an http(s) URL.

    ``fetch``: for feed entries that carry only a summary, fetch the entry's page and read the
    full article (otherwise the summary is the text and the draft is ``summary_only``).
    ``source_name``: the outlet of every draft, overriding what the sources say (CLI ``--source``).
    Yields ``ArticleDraft``s and ``ReadFailure``s; never raises for bad input.
    """
    outlet = one_line(source_name) or None
    for source in sources:
        text = os.fspath(source)
        scheme = _scheme(text) if isinstance(source, str) else ""
        if scheme in ("http", "https"):
            items: Iterator[ReadItem] = read_url(text.strip(), settings, fetch=fetch)
        elif scheme and not os.path.exists(text):
            items = iter([ReadFailure(origin=text, reason=f"unsupported URL scheme {scheme!r}; use http(s) or a path")])
        else:
            items = read_path(text, settings, fetch=fetch)
        for item in items:
            if outlet and isinstance(item, ArticleDraft):
                item = item.model_copy(update={"source": outlet})
            yield item
