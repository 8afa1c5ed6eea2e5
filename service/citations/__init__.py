"""Citation ids (``<article_id>:<start>-<end>``) resolved to their quote, article and surrounding text.

Shared by the HTTP API (``/v1/citations/{id}``, ``/c/{id}``) and the Slack bot.
"""

from service.citations.format import citation_text, display_date
from service.citations.resolve import (
    CitationRef,
    InvalidCitationId,
    ResolvedCitation,
    parse_citation_id,
    resolve_citation,
)

__all__ = [
    "CitationRef",
    "InvalidCitationId",
    "ResolvedCitation",
    "citation_text",
    "display_date",
    "parse_citation_id",
    "resolve_citation",
]
