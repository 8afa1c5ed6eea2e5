"""JSON articles: ``.json`` (one object, or a list of them) and ``.jsonl``/``.ndjson`` (one per line).

Object shape (the contract): ``{"url"?, "title", "text" (or "body"), "source"?, "authors"?, "published_at"?, "id"?}``
with the usual aliases (see ``_ALIASES``). Also read:

- RealTime QA ``*_gcs.jsonl`` lines ``{"question_id", "search_time", "search_result": [{url, title, text,
  authors, publish_date}, ...]}``: one draft per search result, origin ``path:LINE#i``;
- wrappers such as ``{"articles": [...]}`` (NewsAPI-style), origin ``path#i``.

Origins: ``path`` for a lone object, ``path#i`` for the i-th element of a list, ``path:LINE`` for a
JSONL line, ``path:LINE#i`` for a search result. Every index and line number counts from 1.

Decisions:

- An ``id`` field is ignored: stored ids come from ``ingest.identity`` (canonical URL, else text),
  so the same article gets the same id however it arrives; a caller-chosen id could collide.
- Missing or empty title/text, a field of the wrong type, an unparseable date, or a ``url`` that
  is not an absolute http(s) URL fails that item alone, with the field named.
- Without an outlet field the outlet comes from the URL's host (``ingest.normalise.outlets``).
- A ``.json`` file that turns out to hold one object per line is read as JSONL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from ingest.models import ReadFailure, ReadItem
from ingest.normalise.authors import parse_authors
from ingest.normalise.dates import DateParseError, parse_date
from ingest.normalise.text import NotText, decode_bytes
from ingest.readers.drafts import build_draft, guarded
from ingest.readers.protocol import ReadRequest
from ingest.settings import IngestSettings

__all__ = ["draft_from_object", "read_json", "read_jsonl"]

_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "article", "articleBody", "article_body", "maintext", "full_text"),
    "authors": ("authors", "author", "byline", "creator", "creators", "writers"),
    "published_at": (
        "published_at",
        "publishedAt",
        "published",
        "publish_date",
        "pubDate",
        "pub_date",
        "date",
        "datePublished",
        "date_published",
        "timestamp",
        "created_at",
    ),
    "source": ("source", "outlet", "site_name", "sitename", "siteName", "publisher", "source_name", "sourceName"),
    "url": ("url", "link", "canonical_url", "canonicalUrl", "permalink", "href"),
    "place": ("place", "location", "dateline"),
}
_WRAPPERS = ("articles", "items", "data", "results", "documents", "docs")


def _field(obj: dict[str, Any], name: str) -> tuple[str | None, Any]:
    """The first alias of ``name`` present with a non-null value, and that value."""
    for key in _ALIASES[name]:
        if key in obj and obj[key] is not None:
            return key, obj[key]
    return None, None


def _string(obj: dict[str, Any], name: str) -> str | None | ReadFailure:
    key, value = _field(obj, name)
    if key is None:
        return None
    if isinstance(value, str):
        return value
    return ReadFailure(origin="", reason=f"field {key!r} must be a string, not {type(value).__name__}")


def _named(value: Any) -> str | None:
    """An outlet given as a string or as an object with a name (``{"name": "CNN"}``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("name", "title", "id"):
            if isinstance(value.get(key), str):
                return value[key]
    return None


def draft_from_object(obj: Any, origin: str, settings: IngestSettings, *, url: str | None = None) -> ReadItem:
    """One JSON object in the contract shape to a draft, or a failure naming the field at fault."""
    if not isinstance(obj, dict):
        return ReadFailure(origin=origin, reason=f"expected a JSON object, got {_json_type(obj)}")

    title = _string(obj, "title")
    text = _string(obj, "text")
    for value in (title, text):
        if isinstance(value, ReadFailure):
            return ReadFailure(origin=origin, reason=value.reason)
    missing = [name for name, value in (("title", title), ("text", text)) if value is None]
    if missing:
        return ReadFailure(origin=origin, reason="missing field " + " and ".join(repr(m) for m in missing))
    assert isinstance(title, str) and isinstance(text, str)
    if not text.strip():
        return ReadFailure(origin=origin, reason="field 'text' is empty")
    if not title.strip():
        return ReadFailure(origin=origin, reason="field 'title' is empty")

    date_key, date_value = _field(obj, "published_at")
    try:
        published_at = parse_date(date_value) if date_key else None
    except DateParseError:
        return ReadFailure(origin=origin, reason=f"unparseable date {date_value!r} in field {date_key!r}")

    url_key, url_value = _field(obj, "url")
    article_url = url
    if url_key is not None:
        if not isinstance(url_value, str) or not _is_web_url(url_value):
            return ReadFailure(origin=origin, reason=f"field {url_key!r} is not an http(s) URL: {url_value!r}")
        article_url = url_value.strip()

    _, authors = _field(obj, "authors")
    _, source = _field(obj, "source")
    place = _string(obj, "place")
    return build_draft(
        origin,
        settings=settings,
        title=title,
        text=text,
        source=_named(source),
        authors=parse_authors(authors if isinstance(authors, str | list | dict) else None),
        published_at=published_at,
        url=article_url,
        place=place if isinstance(place, str) else None,
    )


def _is_web_url(value: str) -> bool:
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _items(obj: Any, origin: str, settings: IngestSettings, url: str | None) -> Iterator[ReadItem]:
    """Drafts from one parsed JSON value: an article, a list of them, a wrapper or a search-result record."""
    if isinstance(obj, list):
        for i, element in enumerate(obj, start=1):
            yield from _items_of_element(element, f"{origin}#{i}", settings, url)
        return
    if isinstance(obj, dict):
        results = obj.get("search_result")
        if isinstance(results, list):
            for i, result in enumerate(results, start=1):
                yield draft_from_object(result, f"{origin}#{i}", settings, url=url)
            return
        if _field(obj, "text")[0] is None:
            for key in _WRAPPERS:
                if isinstance(obj.get(key), list):
                    for i, element in enumerate(obj[key], start=1):
                        yield draft_from_object(element, f"{origin}#{i}", settings, url=url)
                    return
    yield draft_from_object(obj, origin, settings, url=url)


def _items_of_element(element: Any, origin: str, settings: IngestSettings, url: str | None) -> Iterator[ReadItem]:
    if isinstance(element, dict) and isinstance(element.get("search_result"), list):
        yield from _items(element, origin, settings, url)
    else:
        yield draft_from_object(element, origin, settings, url=url)


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _mixed_lines(data: bytes) -> str | None:
    """JSONL that is UTF-8 but for some lines, decoded line by line; ``None`` for anything else.

    Files are decoded as a whole, and one Latin-1 line would send a whole file to the
    Windows-1252 fallback, garbling every UTF-8 line in it. Here the UTF-8 lines stay as they
    are and only the others take the fallback (a binary line ends up as text that fails alone).
    """
    try:
        data.decode("utf-8")
        return None  # all UTF-8: the usual path
    except UnicodeDecodeError:
        pass
    raw = data.split(b"\n")
    decoded: list[str | None] = []
    for line in raw:
        try:
            decoded.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            decoded.append(None)
    multibyte = sum(1 for line, text in zip(raw, decoded, strict=False) if text is not None and not line.isascii())
    if len(raw) < 2 or multibyte == 0:
        return None  # nothing shows the file is meant as UTF-8: a legacy encoding throughout
    return "\n".join(text if text is not None else _legacy_line(line) for line, text in zip(raw, decoded, strict=False))


def _legacy_line(line: bytes) -> str:
    try:
        return decode_bytes(line)
    except NotText:
        return line.decode("latin-1")


def _read_lines(text: str, origin: str, settings: IngestSettings, url: str | None) -> Iterator[ReadItem]:
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        line_origin = f"{origin}:{number}"
        try:
            obj = _loads(line)
        except json.JSONDecodeError as exc:
            yield ReadFailure(origin=line_origin, reason=f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        except ValueError as exc:
            yield ReadFailure(origin=line_origin, reason=f"invalid JSON: {exc}")
            continue
        if isinstance(obj, list):
            yield ReadFailure(origin=line_origin, reason="expected a JSON object, got a list")
            continue
        yield from _items(obj, line_origin, settings, url)


@guarded
def read_json(request: ReadRequest) -> Iterator[ReadItem]:
    """Read a JSON document (one object, a list, a wrapper), or JSONL when it turns out to be one object per line.

    ``request.url`` is the address the data came from; an item's own ``url`` field wins over it.
    Yields one draft or failure per article; a bad line or element fails alone.
    """
    return _read(request, lines=None)


@guarded
def read_jsonl(request: ReadRequest) -> Iterator[ReadItem]:
    """Read JSONL strictly line by line: one object per line, each line failing alone (origin ``path:LINE``)."""
    return _read(request, lines=True)


def _read(request: ReadRequest, *, lines: bool | None) -> Iterator[ReadItem]:
    """JSONL (``lines=True``) or either (``None``: JSONL if the data is not one document)."""
    data, origin, settings, url = request.data, request.origin, request.settings, request.url
    if isinstance(data, bytes):
        try:
            text = _mixed_lines(data) if request.charset is None else None
            text = text if text is not None else decode_bytes(data, request.charset)
        except NotText as exc:
            yield ReadFailure(origin=origin, reason=str(exc))
            return
    else:
        text = data
    text = text.lstrip("\ufeff")
    if not text.strip():
        yield ReadFailure(origin=origin, reason="empty file")
        return
    if lines:
        yield from _read_lines(text, origin, settings, url)
        return
    try:
        obj = _loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and exc.lineno > 1:
            # Several documents, one per line: JSONL in a .json file.
            yield from _read_lines(text, origin, settings, url)
            return
        yield ReadFailure(origin=origin, reason=f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return
    except ValueError as exc:
        yield ReadFailure(origin=origin, reason=f"invalid JSON: {exc}")
        return
    yield from _items(obj, origin, settings, url)
