"""Earlier turns of a conversation, built as the store keeps them, for tests of follow-up rewrites."""

from __future__ import annotations

from ingest.models import ArticleRecord
from service.answer.models import Citation
from service.conversation.models import Turn


def turn(
    question: str,
    short_answer: str | None,
    standalone: str | None = None,
    quote: str = "",
    article: str = "a1b2c3d4e5f60718",
    follow_up: bool = False,
) -> Turn:
    """A turn as stored: the cited quote is where the recogniser reads what kind of thing the answer is."""
    quote = quote or f"{short_answer} was reported."
    citation = Citation(
        n=1,
        id=f"{article}:0-{len(quote)}",
        quote=quote,
        start=0,
        end=len(quote),
        article=ArticleRecord(id=article, title="t", source="s", authors=[], published_at="2022-01-11", url=None),
    )
    return Turn(
        n=1,
        asked_at="2026-12-02T00:00:00+00:00",
        question=question,
        standalone_question=standalone or question,
        follow_up=follow_up,
        answer=f"{short_answer} [1]" if short_answer else "nothing",
        short_answer=short_answer,
        answered=short_answer is not None,
        citations=[citation] if short_answer else [],
        as_of="2022-01-11",
    )
