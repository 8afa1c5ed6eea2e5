"""A conversation and its turns, as stored and as ``GET /v1/conversations/{id}`` returns them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from service.answer.models import Citation


class Turn(BaseModel):
    """One question asked in a conversation, what was searched, and what came back."""

    n: int = Field(description="1 for the first turn.")
    asked_at: str = Field(description="When the question was asked (ISO 8601, UTC).")
    question: str = Field(description="The question as the person typed it.")
    standalone_question: str = Field(
        description="The question actually searched, with the conversation's context filled in; empty when "
        'nothing was searched ("new question" on its own, "thanks!").'
    )
    follow_up: bool = Field(description="Whether earlier turns were used to read the question.")
    starts_afresh: bool = Field(
        default=False, description='The person asked to start over ("new question"): earlier turns no longer count.'
    )
    answer: str
    short_answer: str | None = None
    answered: bool
    citations: list[Citation] = Field(
        default_factory=list, description="The answer's citations: ids, quotes, outlets and dates."
    )
    answerer: str = ""
    notes: list[str] = Field(default_factory=list, description="Fallbacks and corrections made on the way.")
    as_of: str = Field(description="The day the archive was read as of.")
    as_of_requested: str | None = Field(
        default=None, description="The as-of date the person set (carried to follow-ups), if any."
    )
    sources: list[str] | None = Field(default=None, description="The outlets the question was limited to.")
    since: str | None = None
    until: str | None = None

    @property
    def cited_articles(self) -> list[str]:
        """Ids of the articles this turn cited, in citation order, once each."""
        return list(dict.fromkeys(c.article.id for c in self.citations))


class Conversation(BaseModel):
    """A thread of turns: a Slack thread, a DM thread, or an HTTP conversation id."""

    id: str
    created_at: str
    updated_at: str
    expires_at: str = Field(description="Forgotten after this unless another turn is added.")
    turns: list[Turn] = Field(default_factory=list)
