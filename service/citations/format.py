"""How a citation reads when a journalist copies it: ``Outlet, Author, Date: “quote” URL``."""

from __future__ import annotations

from datetime import datetime

from ingest.models import Article


def display_date(value: datetime | None) -> str:
    """``11 January 2022`` (the article's own calendar day), or empty when undated."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def byline(authors: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    names = [a for a in authors if a]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def citation_text(article: Article, quote: str, link: str | None = None) -> str:
    """``Outlet, Author, Date: “quote” URL``; parts the article lacks are left out.

    ``link`` stands in for the URL when the article has none (the citation's own page, so the
    reader can still check the quote).
    """
    head = ", ".join(
        part for part in (article.source or "", byline(article.authors), display_date(article.published_at)) if part
    )
    quoted = "“" + " ".join(quote.split()) + "”"
    url = article.url or link or ""
    text = f"{head}: {quoted}" if head else quoted
    return f"{text} {url}".rstrip()
