"""What every reader does last: clean the fields and turn them into a draft, or a failure.

Keeping this in one place means every reader stores text cleaned the same way (see
``ingest.normalise.text``), derives a missing outlet from the URL the same way, and refuses
over-long texts with the same reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import wraps

from ingest.models import ArticleDraft, ReadFailure, ReadItem
from ingest.normalise.outlets import outlet_from_url
from ingest.normalise.text import clean_text
from ingest.readers.protocol import Reader, ReadRequest
from ingest.settings import IngestSettings

__all__ = ["INTERNAL_ERROR", "build_draft", "derive_title", "guarded", "one_line"]

log = logging.getLogger(__name__)

# Failure reasons starting with this point at a bug in a reader, not at the input.
INTERNAL_ERROR = "internal error while reading"
_TITLE_CHARS = 120


def one_line(value: str | None) -> str:
    """A single-line field (title, outlet, place): whitespace collapsed, control characters dropped."""
    if not value:
        return ""
    return " ".join(clean_text(value).split())


def derive_title(text: str) -> str:
    """A title for an untitled text: its first line, cut at a word boundary near 120 characters."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) <= _TITLE_CHARS:
        return first
    cut = first[:_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def build_draft(
    origin: str,
    *,
    settings: IngestSettings,
    title: str | None,
    text: str,
    source: str | None = None,
    authors: list[str] | None = None,
    published_at: datetime | None = None,
    url: str | None = None,
    place: str | None = None,
    summary_only: bool = False,
) -> ReadItem:
    """Clean the fields and make the draft; a failure when no text is left or the text is too long."""
    text = clean_text(text)
    if not text:
        return ReadFailure(origin=origin, reason="no article text found")
    if len(text) > settings.max_article_chars:
        return ReadFailure(
            origin=origin,
            reason=f"article text longer than {settings.max_article_chars} characters ({len(text)})",
        )
    clean_title = one_line(title) or derive_title(text)
    url = (url or "").strip() or None
    return ArticleDraft(
        origin=origin,
        title=clean_title,
        text=text,
        source=one_line(source) or outlet_from_url(url),
        authors=list(authors or []),
        published_at=published_at,
        url=url,
        place=one_line(place) or None,
        summary_only=summary_only,
    )


def guarded(reader: Callable[[ReadRequest], Iterator[ReadItem]]) -> Reader:
    """Make a reader never raise: an unexpected error becomes a failure of the request's origin.

    Readers handle bad input themselves with precise reasons; this is the last line, so that a
    bug met on one file cannot abort a whole ingest run.
    """

    @wraps(reader)
    def wrapper(request: ReadRequest) -> Iterator[ReadItem]:
        try:
            yield from reader(request)
        except Exception as exc:
            log.exception("reader %s failed on %s", reader.__name__, request.origin)
            yield ReadFailure(origin=request.origin, reason=f"{INTERNAL_ERROR}: {type(exc).__name__}: {exc}")

    return wrapper
