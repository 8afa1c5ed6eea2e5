"""A second, narrow reading: do the sentences the reader cited state its short answer to this very question?

A small reader told to reply "" when its evidence is silent still names something from the nearest
story: asked about events after ``as_of`` or details no article gives, the local 1.5B model answered
21 of 28 such development questions (``bench/unanswerable``). Asked on its own about only the few
sentences it cited, with their dates, and the short answer it proposed, the same model said no to 9
of the 15 such answers it was shown again, and to 1 of 13 right quiz answers (README, "The local
model"). So the LLM answerer asks it, and declines what the check does not confirm. The check reads a hundred tokens or
so, a few seconds on 2 cores: its system prompt is read once per process (an in-process model keeps
the state of each recent prompt: :mod:`service.answer.backends.llamacpp_states`).

Prompt files: ``prompts/reader_check_system.txt`` and ``prompts/reader_check_user.txt``.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from service.answer.prompts import neutralise
from service.answer.reader_context import EvidenceSentence
from service.answer.reader_draft import headline_states, states


class Verdict(BaseModel):
    """The check's reply: whether the cited sentences answer the question with the proposed short answer."""

    answers: bool = Field(description="Whether the sentences state the proposed answer to this very question.")


def format_checked(sentences: list[EvidenceSentence], short_answer: str) -> str:
    """The sentences the answer rests on, one per line, each after its article's date (data only).

    A sentence that does not itself state ``short_answer`` rests on its headline (the reader saw it under
    it: :func:`service.answer.reader_draft.supporting_evidence`), so the headline is shown with it. The
    others are shown without: the check was measured on sentences and dates alone.
    """
    lines = []
    for item in sentences:
        published = item.passage.article.published_at
        source = published.date().isoformat() if published else "undated"
        if not states(item.text, short_answer) and headline_states(item, short_answer):
            source += f', headline "{neutralise(" ".join((item.passage.article.title or "").split()))}"'
        lines.append(f"({source}) {neutralise(' '.join(item.text.split()))}")
    return "\n".join(lines)
