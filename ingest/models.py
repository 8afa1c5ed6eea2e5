"""The shapes that travel through ingest: drafts from readers, stored articles, chunks, outcomes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class ArticleDraft(BaseModel):
    """An article as a reader found it, before it has an id.

    ``origin`` names where it came from (a path, ``path:line``, or a URL) so that
    every error and summary line can point at it.
    """

    origin: str
    title: str
    text: str
    source: str | None = None
    authors: list[str] = Field(default_factory=list)
    published_at: datetime | None = None
    url: str | None = None
    place: str | None = None
    summary_only: bool = False


class ReadFailure(BaseModel):
    """One item a reader could not turn into an article, and why."""

    origin: str
    reason: str


ReadItem = ArticleDraft | ReadFailure


class ArticleRecord(BaseModel):
    """A stored article as every client shows it (the Answer's ``article``).

    The contract's one article record: citations, search results, listings and the HTTP schemas
    all use this shape; ``source`` and ``published_at`` are ``""`` when unknown.
    """

    id: str
    title: str
    source: str
    authors: list[str]
    published_at: str
    url: str | None


class Article(BaseModel):
    """A stored article. ``text`` is the exact text every chunk and citation offset points into."""

    id: str
    title: str
    text: str
    source: str | None = None
    authors: list[str] = Field(default_factory=list)
    published_at: datetime | None = None
    url: str | None = None
    urls: list[str] = Field(default_factory=list, description="Every URL this same text was seen under.")
    place: str | None = None
    content_hash: str
    fingerprint: str = Field(default="", description="Fingerprint of the text alone, to spot the same story twice.")
    chunk_count: int = 0
    ingested_at: datetime | None = None

    def to_record(self) -> ArticleRecord:
        """The contract's article record of this article (the Answer's ``article``)."""
        return ArticleRecord(
            id=self.id,
            title=self.title,
            source=self.source or "",
            authors=list(self.authors),
            published_at=self.published_at.isoformat() if self.published_at else "",
            url=self.url,
        )

    def record(self, with_text: bool = False) -> dict[str, object]:
        """The article record as a JSON-ready dict, plus ``text``, ``urls`` and ``place`` when asked."""
        out: dict[str, object] = self.to_record().model_dump()
        if with_text:
            out["text"] = self.text
            out["urls"] = list(self.urls)
            out["place"] = self.place
        return out


class Chunk(BaseModel):
    """A passage of an article: ``article.text[start:end] == text``, always."""

    article_id: str
    index: int
    start: int
    end: int
    text: str

    @property
    def id(self) -> str:
        """Chunk ids double as citation ids: ``<article_id>:<start>-<end>``."""
        return f"{self.article_id}:{self.start}-{self.end}"


Status = Literal["created", "updated", "unchanged", "failed"]


class IngestOutcome(BaseModel):
    """What happened to one item of an ingest run."""

    origin: str
    status: Status
    id: str | None = None
    title: str | None = None
    chunks: int = 0
    reason: str | None = None


class IngestSummary(BaseModel):
    """Totals of one ingest run, as ``newsdesk ingest --json`` prints them."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    chunks: int = 0
    seconds: float = 0.0
    chunks_per_s: float = 0.0
    failures: list[IngestOutcome] = Field(default_factory=list)
    items: list[IngestOutcome] = Field(default_factory=list)

    def add(self, outcome: IngestOutcome) -> None:
        """Count one outcome in."""
        self.items.append(outcome)
        if outcome.status == "created":
            self.new += 1
        elif outcome.status == "updated":
            self.updated += 1
        elif outcome.status == "unchanged":
            self.unchanged += 1
        else:
            self.failed += 1
            self.failures.append(outcome)
        self.chunks += outcome.chunks
