"""What every answerer looks like: a name, and a draft from a question and its passages."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from service.answer.models import AnswerDraft
from service.retrieval.evidence import Passage


@runtime_checkable
class Answerer(Protocol):
    """Drafts an answer whose sentences carry ``[n]`` markers pointing at ``passages[n-1]``.

    ``name`` is what the Answer's ``answerer`` field shows (``extractive``, ``llm``, ...).
    An answerer never raises for "no answer": it returns a draft with ``answered=False``.
    """

    name: str

    def answer(self, question: str, passages: list[Passage]) -> AnswerDraft:
        """A draft answer to ``question`` from ``passages`` (best first, numbered from 1)."""
        ...
