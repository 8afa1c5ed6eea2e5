"""Parsing a citation id and resolving it against the archive.

A citation id is ``<article_id>:<start>-<end>``: 16 lowercase hex characters, then character
offsets into the stored article text. It resolves for as long as the article is stored with the
same text; ids whose offsets fall outside the text (an article re-ingested with other text)
resolve to nothing, like unknown ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from ingest.models import Article

# Offsets are bounded well above any stored article (max_article_chars is 1,000,000 by default)
# so that a hostile id cannot make us build huge integers.
_CITATION_ID = re.compile(r"^(?P<article>[0-9a-f]{16}):(?P<start>\d{1,9})-(?P<end>\d{1,9})$")

DEFAULT_CONTEXT_CHARS = 300


class InvalidCitationId(ValueError):
    """The text is not a citation id at all (``<16 hex>:<start>-<end>`` with start < end)."""


class ArticleSource(Protocol):
    """What resolving needs from the store."""

    def get_article(self, article_id: str) -> Article | None: ...


@dataclass(frozen=True)
class CitationRef:
    """A parsed citation id."""

    article_id: str
    start: int
    end: int

    @property
    def id(self) -> str:
        """The canonical id text."""
        return f"{self.article_id}:{self.start}-{self.end}"


@dataclass(frozen=True)
class ResolvedCitation:
    """A citation id resolved: ``quote == article.text[start:end]`` and the text either side of it."""

    ref: CitationRef
    article: Article
    context_before: str
    context_after: str

    @property
    def id(self) -> str:
        """The citation id."""
        return self.ref.id

    @property
    def start(self) -> int:
        """Where the quote starts in the article text."""
        return self.ref.start

    @property
    def end(self) -> int:
        """Where the quote ends in the article text (exclusive)."""
        return self.ref.end

    @property
    def quote(self) -> str:
        """The cited passage, verbatim."""
        return self.article.text[self.ref.start : self.ref.end]

    def record(self) -> dict[str, object]:
        """The JSON document of ``GET /v1/citations/{id}``."""
        return {
            "id": self.id,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "article": self.article.record(),
            "context_before": self.context_before,
            "context_after": self.context_after,
        }


def parse_citation_id(text: str) -> CitationRef:
    """The parts of a citation id; :class:`InvalidCitationId` when ``text`` is not one."""
    match = _CITATION_ID.fullmatch(text or "")
    if match is None:
        raise InvalidCitationId(f"{text[:80]!r} is not a citation id (expected <16 hex characters>:<start>-<end>)")
    start, end = int(match["start"]), int(match["end"])
    if start >= end:
        raise InvalidCitationId(f"{text!r} is not a citation id: the start offset must be below the end offset")
    return CitationRef(match["article"], start, end)


def resolve_citation(
    store: ArticleSource, citation_id: str | CitationRef, context_chars: int = DEFAULT_CONTEXT_CHARS
) -> ResolvedCitation | None:
    """The citation with up to ``context_chars`` characters either side, or None if it does not resolve.

    Raises :class:`InvalidCitationId` for text that is not a citation id (checked before the store
    is asked anything), and whatever the store raises when it cannot be reached.
    """
    ref = citation_id if isinstance(citation_id, CitationRef) else parse_citation_id(citation_id)
    article = store.get_article(ref.article_id)
    if article is None or ref.end > len(article.text):
        return None
    text = article.text
    return ResolvedCitation(
        ref=ref,
        article=article,
        context_before=_before(text, ref.start, context_chars),
        context_after=_after(text, ref.end, context_chars),
    )


def _before(text: str, start: int, chars: int) -> str:
    """Up to ``chars`` characters before ``start``, not beginning in the middle of a word."""
    if chars <= 0:
        return ""
    at = max(0, start - chars)
    piece = text[at:start]
    if at > 0 and not text[at - 1].isspace():
        cut = re.search(r"\s", piece)
        piece = piece[cut.end() :] if cut else ""
    return piece


def _after(text: str, end: int, chars: int) -> str:
    """Up to ``chars`` characters after ``end``, not ending in the middle of a word."""
    if chars <= 0:
        return ""
    stop = min(len(text), end + chars)
    piece = text[end:stop]
    if stop < len(text) and not text[stop].isspace():
        cut = max(piece.rfind(" "), piece.rfind("\n"), piece.rfind("\t"))
        piece = piece[:cut] if cut >= 0 else ""
    return piece
