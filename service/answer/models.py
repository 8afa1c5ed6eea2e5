"""The Answer contract (see DESIGN.md) and what answerers produce before the citation check."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field

from ingest.models import ArticleRecord


class Citation(BaseModel):
    """A verbatim quote: ``quote == article.text[start:end]``; ``id`` is ``<article_id>:<start>-<end>``."""

    n: int
    id: str
    quote: str
    start: int
    end: int
    article: ArticleRecord


class Answer(BaseModel):
    """The contract's Answer, returned by the CLI, HTTP and (rendered) Slack."""

    question: str
    answer: str
    short_answer: str | None = None
    answered: bool
    as_of: str
    citations: list[Citation] = Field(default_factory=list)
    answerer: str
    timings_ms: dict[str, float] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list, description="Fallbacks and corrections made on the way.")
    conversation_id: str | None = Field(
        default=None, description="The conversation this turn belongs to; send it back to ask a follow-up."
    )
    standalone_question: str | None = Field(
        default=None,
        description="The question actually searched: a follow-up rewritten with the conversation's context "
        '(null when nothing was searched: "new question" on its own).',
    )


@dataclass
class AnswerDraft:
    """An answerer's output: text whose sentences carry [n] markers pointing at passages 1..N.

    ``answered`` False means the answerer found nothing to say; ``note`` explains a fallback.
    """

    text: str
    short_answer: str | None
    answered: bool
    answerer: str
    note: str | None = None
    # The share of the question's content words the answer's sentence holds, where the answerer
    # measures it (the extractive one); the asker declines below its threshold.
    coverage: float | None = None
