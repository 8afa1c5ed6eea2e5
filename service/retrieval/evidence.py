"""What retrieval hands to answerers: passages of stored articles, with their sentences scored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel

from ingest.models import Article, ArticleRecord


@dataclass
class Sentence:
    """One sentence of a passage; ``article.text[start:end] == text``."""

    start: int
    end: int
    text: str
    score: float = 0.0


@dataclass
class Passage:
    """A retrieved span of one article (usually a chunk) and its scored sentences.

    ``also_in`` names the ids of near-identical copies (syndication) collapsed into this one;
    the passage itself is from the earliest-published copy. ``timeliness`` (0.5 to 1) is how
    current its article is when the question asks about the news as of its date (1 when the
    question names a time of its own): an answerer weighs an old report's statements less.
    """

    article: Article
    start: int
    end: int
    text: str
    score: float
    sentences: list[Sentence] = field(default_factory=list)
    also_in: list[str] = field(default_factory=list)
    timeliness: float = 1.0

    @property
    def published_at(self) -> datetime | None:
        """When the passage's article was published."""
        return self.article.published_at


@dataclass
class RetrievalResult:
    """Passages, best first, and the filters that were in force (after reading the question)."""

    passages: list[Passage]
    as_of: datetime
    since: datetime | None = None
    until: datetime | None = None
    sources: list[str] | None = None
    prefer_recent: bool = False
    asks_latest: bool = False  # the question asks for the latest news, without a window (``TimeHint``)
    # When the newest article within the outlets and up to ``until`` was published: the archive's "now".
    newest_published: datetime | None = None
    # Outlet names of the filter that mean no stored outlet -> the stored names closest to each.
    unknown_sources: dict[str, list[str]] = field(default_factory=dict)


class RankedPassage(BaseModel):
    """A ranked passage as ``search`` (CLI and HTTP) and the ask stream give it; ``id`` resolves like a citation id."""

    rank: int
    id: str
    score: float
    text: str
    start: int
    end: int
    best_sentence: str | None
    article: ArticleRecord

    @classmethod
    def of(cls, rank: int, passage: Passage) -> RankedPassage:
        """``passage`` shown at ``rank`` (1 is the best)."""
        return cls(
            rank=rank,
            id=f"{passage.article.id}:{passage.start}-{passage.end}",
            score=round(passage.score, 5),
            text=passage.text,
            start=passage.start,
            end=passage.end,
            best_sentence=max(passage.sentences, key=lambda s: s.score).text if passage.sentences else None,
            article=passage.article.to_record(),
        )
