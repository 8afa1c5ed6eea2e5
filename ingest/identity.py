"""Stable ids and content fingerprints for articles."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ingest.models import ArticleDraft

# Query parameters that only track the reader; dropping them keeps one id per story.
_TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|ref|smid|taid|at_.*)$", re.I)
_SPACES = re.compile(r"\s+")
ID_LENGTH = 16


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_url(url: str) -> str:
    """Normalise a URL so trivial variants (case, fragment, tracking params, trailing slash) agree."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "https"
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k))
    )
    return urlunsplit((scheme, host + port, path, query, ""))


def normalise_text(text: str) -> str:
    """Text reduced to what makes it the same story: NFKC, case-folded, whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def text_fingerprint(text: str) -> str:
    """Fingerprint of the body alone: the same text under two URLs is one article."""
    return _digest(normalise_text(text))


def article_id(draft: ArticleDraft) -> str:
    """A stable id: from the canonical URL when there is one, else from normalised title and text.

    Ids are lowercase hex, so they are safe in paths, URLs and citation ids.
    """
    if draft.url:
        return _digest("url:" + canonical_url(draft.url))[:ID_LENGTH]
    return _digest("text:" + normalise_text(draft.title) + "\n" + normalise_text(draft.text))[:ID_LENGTH]


def content_hash(draft: ArticleDraft) -> str:
    """Changes whenever anything a reader would see changes: text or metadata."""
    published = draft.published_at.isoformat() if draft.published_at else ""
    parts = [
        draft.title,
        draft.text,
        draft.source or "",
        "|".join(draft.authors),
        published,
        draft.url or "",
        draft.place or "",
    ]
    return _digest("\x1f".join(parts))[:32]


ID_PATTERN = re.compile(rf"^[0-9a-f]{{{ID_LENGTH}}}$")
