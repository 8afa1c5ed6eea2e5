"""RSS and Atom feeds (files or fetched URLs): one draft per entry.

Each entry gives its title, link, authors, published (else updated) date with its time zone, and
its text: the longest ``content`` (``content:encoded`` in RSS) converted from HTML to paragraphs.

Decisions:

- An entry with only a summary is a ``summary_only`` draft whose text is the summary, unless
  ``fetch`` is set: then the entry's link is fetched (``ingest.readers.safe_fetch``, with all its
  safety checks) and read as an HTML page; a failed fetch fails that entry, naming its link.
  The draft keeps the entry's link as its URL either way, so fetching later updates the same article.
- An entry with a title but no text at all fails ("...use --fetch...") unless ``fetch`` is set;
  one with neither title nor text fails ("feed entry without title or text"). A missing title
  alone is fine: the text's first line becomes the title.
- The outlet is the entry's own ``<source>``, else the feed's title, so that every entry of one
  feed carries the same outlet; only with neither does it come from the link's host.
- An entry's date that neither we nor feedparser can read fails that entry ("unparseable date ...").
- A document that is not a feed, or too malformed to yield any entry, fails as a whole, naming the file.
- Origins: the entry's link, else ``<feed origin>#i`` counting from 1.
"""

from __future__ import annotations

import calendar
import io
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from ingest.models import ArticleDraft, ReadFailure, ReadItem
from ingest.normalise.authors import parse_authors
from ingest.normalise.dates import DateParseError, parse_date
from ingest.normalise.htmltext import html_to_text
from ingest.readers.drafts import INTERNAL_ERROR, build_draft, guarded, one_line
from ingest.readers.html import read_html
from ingest.readers.protocol import ReadRequest
from ingest.readers.safe_fetch import FetchError, fetch_url
from ingest.settings import IngestSettings

__all__ = ["read_feed"]

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def _detail_text(value: str | None, detail: dict[str, Any] | None) -> str:
    if not value:
        return ""
    kind = (detail or {}).get("type") or "text/html"
    return html_to_text(value) if kind in _HTML_TYPES else value


def _entry_text(entry: Any) -> tuple[str, bool]:
    """The entry's text and whether it is only a summary."""
    contents = [_detail_text(c.get("value"), c) for c in entry.get("content") or [] if isinstance(c, dict)]
    contents = [c for c in contents if c.strip()]
    if contents:
        return max(contents, key=len), False
    summary = _detail_text(entry.get("summary"), entry.get("summary_detail"))
    return summary, True


def _entry_date(entry: Any) -> datetime | None | ReadFailure:
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        try:
            return parse_date(raw)
        except DateParseError:
            parsed = entry.get(f"{key}_parsed")
            if parsed:
                # feedparser read a format we do not; its tuple is UTC.
                return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
            return ReadFailure(origin="", reason=f"unparseable date {raw!r}")
    return None


def _entry_authors(entry: Any) -> list[str]:
    names = [a for a in entry.get("authors") or [] if isinstance(a, dict) and a.get("name")]
    if len(names) > 1:
        return parse_authors(names)
    # For one author the raw string is safer: feedparser splits "ann@daily.example (Ann Lee)"
    # wrongly when the domain has a long top-level label.
    return parse_authors(entry.get("author")) or parse_authors(names)


def _fetch_entry(link: str, settings: IngestSettings) -> ReadItem:
    try:
        page = fetch_url(link, settings)
    except FetchError as exc:
        return ReadFailure(origin=link, reason=f"could not fetch the full article: {exc.reason}")
    items = list(read_html(ReadRequest(page.data, link, settings, url=page.url_final, charset=page.charset)))
    if not items:
        return ReadFailure(origin=link, reason="no article text found")
    return items[0]


def _entry_item(entry: Any, origin: str, feed_source: str | None, settings: IngestSettings, fetch: bool) -> ReadItem:
    link = (entry.get("link") or "").strip() or None
    title = one_line(_detail_text(entry.get("title"), entry.get("title_detail")))
    text, summary_only = _entry_text(entry)
    if not text.strip() and not title:
        return ReadFailure(origin=origin, reason="feed entry without title or text")

    published_at = _entry_date(entry)
    if isinstance(published_at, ReadFailure):
        return ReadFailure(origin=origin, reason=published_at.reason)
    authors = _entry_authors(entry)
    source_detail = entry.get("source")
    own_source = one_line(source_detail.get("title")) if isinstance(source_detail, dict) else ""
    source = own_source or feed_source

    if (summary_only or not text.strip()) and fetch and link:
        page = _fetch_entry(link, settings)
        if isinstance(page, ReadFailure):
            return page
        assert isinstance(page, ArticleDraft)
        return page.model_copy(
            update={
                "origin": origin,
                "title": page.title or title,
                "authors": page.authors or authors,
                "published_at": page.published_at or published_at,
                "source": source or page.source,
                "url": link,
            }
        )
    if not text.strip():
        return ReadFailure(
            origin=origin, reason="feed entry has a title but no text (ingest with --fetch to read its page)"
        )
    return build_draft(
        origin,
        settings=settings,
        title=title,
        text=text,
        source=source,
        authors=authors,
        published_at=published_at,
        url=link,
        summary_only=summary_only,
    )


@guarded
def read_feed(request: ReadRequest) -> Iterator[ReadItem]:
    """Read an RSS or Atom document; yields one draft or failure per entry, or one failure for the feed.

    With ``request.fetch``, entries carrying only a summary are read from their fetched page.
    """
    data, origin, url, charset = request.data, request.origin, request.url, request.charset
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw.strip():
        yield ReadFailure(origin=origin, reason="empty file")
        return
    headers: dict[str, str] = {}
    if charset:
        headers["content-type"] = f"application/xml; charset={charset}"
    if url:
        headers["content-location"] = url  # the base for relative links in entries
    # A stream, never a str: given a str, feedparser would open it as a URL or a file name.
    parsed = feedparser.parse(io.BytesIO(raw), response_headers=headers or None, resolve_relative_uris=True)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            yield ReadFailure(origin=origin, reason=f"not a readable RSS or Atom feed: {problem}")
        elif not parsed.get("version"):
            yield ReadFailure(origin=origin, reason="not an RSS or Atom feed")
        return

    feed_info = parsed.get("feed") or {}
    feed_source = one_line(_detail_text(feed_info.get("title"), feed_info.get("title_detail"))) or None
    for i, entry in enumerate(entries, start=1):
        link = (entry.get("link") or "").strip()
        entry_origin = link or f"{origin}#{i}"
        try:
            yield _entry_item(entry, entry_origin, feed_source, request.settings, request.fetch)
        except Exception as exc:
            log.exception("feed entry %s failed", entry_origin)
            yield ReadFailure(origin=entry_origin, reason=f"{INTERNAL_ERROR}: {type(exc).__name__}: {exc}")
