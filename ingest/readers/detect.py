"""Which reader a source needs: from a file suffix, an HTTP content type, or the first bytes."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Literal

from ingest.normalise.text import NotText, decode_bytes

__all__ = ["Kind", "kind_from_content_type", "kind_from_suffix", "sniff_kind"]

Kind = Literal["text", "html", "json", "jsonl", "feed"]

SUFFIX_KINDS: dict[str, Kind] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".feed": "feed",
    ".rdf": "feed",
}
_CONTENT_TYPES: dict[str, Kind] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
    "application/feed+json": "feed",
    "application/json": "json",
    "text/json": "json",
    "application/ld+json": "json",
    "application/x-ndjson": "jsonl",
    "application/ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
    "application/jsonlines": "jsonl",
    "text/plain": "text",
    "text/markdown": "text",
    "text/x-markdown": "text",
}
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf)\b", re.IGNORECASE)
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_SNIFF_BYTES = 4096


def kind_from_suffix(path: str | PurePath) -> Kind | None:
    """The reader for a file name's suffix (case-insensitive), or ``None`` for an unknown one."""
    return SUFFIX_KINDS.get(PurePath(path).suffix.lower())


def kind_from_content_type(content_type: str | None) -> Kind | None:
    """The reader for an HTTP ``Content-Type`` (parameters ignored), or ``None`` for an unknown one."""
    if not content_type:
        return None
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime in _CONTENT_TYPES:
        return _CONTENT_TYPES[mime]
    if mime.endswith("+xml"):
        return "feed"
    if mime.endswith("+json"):
        return "json"
    return None


def sniff_kind(data: bytes) -> Kind | None:
    """Guess HTML, feed or JSON from the first bytes; ``None`` when it is none of these (or binary)."""
    try:
        head = decode_bytes(data[:_SNIFF_BYTES]).lstrip("\ufeff \t\r\n")
    except NotText:
        return None
    lowered = head[:_SNIFF_BYTES].lower()
    if lowered.startswith(("{", "[")):
        return "json"
    if not lowered.startswith("<"):
        return None
    if _FEED_ROOT.search(lowered) and not _HTML_START.search(lowered.split("<rss", 1)[0].split("<feed", 1)[0]):
        return "feed"
    if _HTML_START.search(lowered) or re.search(r"<(?:p|div|article|h1)\b", lowered):
        return "html"
    if lowered.startswith("<?xml"):
        return "feed"
    return None
