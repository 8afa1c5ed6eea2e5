"""Reading a URL: fetch it safely (``ingest.readers.safe_fetch``), then read what comes back with the right reader.

The reader is chosen from the response's content type, corrected by the URL's suffix and by the
first bytes (raw file hosts serve everything as ``text/plain``; some servers send HTML as XML).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from ingest.models import ReadFailure, ReadItem
from ingest.readers.detect import Kind, kind_from_content_type, kind_from_suffix, sniff_kind
from ingest.readers.dispatch import read_as
from ingest.readers.protocol import ReadRequest
from ingest.readers.safe_fetch import FetchedPage, FetchError, fetch_url
from ingest.settings import IngestSettings

__all__ = ["page_kind", "read_url"]


def page_kind(page: FetchedPage) -> Kind | None:
    """Which reader a fetched page needs: its content type, corrected by the URL suffix and the bytes."""
    by_type = kind_from_content_type(page.content_type)
    by_suffix = kind_from_suffix(urlsplit(page.url_final).path)
    sniffed = sniff_kind(page.data)
    if by_type == "text" and by_suffix in ("json", "jsonl", "feed", "html"):
        # Raw file hosts serve everything as text/plain.
        return by_suffix
    if by_type == "feed" and page.content_type in ("application/xml", "text/xml") and sniffed == "html":
        return "html"
    return by_type or by_suffix or sniffed


def read_url(url: str, settings: IngestSettings, *, fetch: bool = False) -> Iterator[ReadItem]:
    """Fetch a URL and read it: an article page, a feed (``fetch`` as in ``read_feed``), JSON or text.

    Never raises: a refused or failed fetch is one ``ReadFailure`` naming the URL.
    """
    try:
        page = fetch_url(url, settings)
    except FetchError as exc:
        yield ReadFailure(origin=url, reason=exc.reason)
        return
    kind = page_kind(page)
    if kind is None:
        yield ReadFailure(origin=url, reason=f"unsupported content type {page.content_type or '(none)'}")
        return
    yield from read_as(
        kind, ReadRequest(page.data, url, settings, url=page.url_final, charset=page.charset, fetch=fetch)
    )
