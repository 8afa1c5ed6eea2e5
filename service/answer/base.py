"""What every answerer looks like: a name, a draft from a question and its passages, and that draft streamed.

An answerer writes a *draft*: text whose sentences carry ``[n]`` markers pointing at ``passages[n-1]``.
The ask flow (:mod:`service.answer.ask`) decides whether the evidence is strong enough to ask it,
checks the draft's citations and builds the Answer; the answerer never sees any of that.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Generator, Sequence
from datetime import date
from typing import Protocol, runtime_checkable

from service.answer.models import AnswerDraft
from service.retrieval.evidence import Passage


@runtime_checkable
class Answerer(Protocol):
    """Drafts an answer whose sentences carry ``[n]`` markers pointing at ``passages[n-1]``.

    ``name`` is what the Answer's ``answerer`` field shows when no draft names itself (``extractive``,
    ``llm``, ...). An answerer never raises for "no answer": it returns a draft with ``answered=False``.
    This is all a fallback needs (the LLM answerer's); the ask flow uses :class:`StreamingAnswerer`.
    """

    name: str

    def answer(
        self,
        question: str,
        passages: list[Passage],
        already_said: Sequence[str] = (),
        as_of: date | None = None,
    ) -> AnswerDraft:
        """A draft answer to ``question`` from ``passages`` (best first, numbered from 1).

        ``already_said``: in a follow-up, what the conversation already said (earlier short answers, the
        question searched). A follow-up asks for something new, so a short answer that only repeats one
        of these is no answer; an answerer that can choose another does. ``as_of``: the day the question
        is asked as of (the archive as it stood then; None: today), against which an answerer may judge
        its evidence's dates.
        """
        ...


@runtime_checkable
class StreamingAnswerer(Answerer, Protocol):
    """The whole contract the ask flow uses: an :class:`Answerer` whose draft can also be streamed."""

    def stream(
        self, question: str, passages: list[Passage], already_said: Sequence[str] = (), as_of: date | None = None
    ) -> Generator[str, None, AnswerDraft]:
        """Yield a preview of the answer text as it is written; *return* the draft :meth:`answer` would give.

        The returned draft is authoritative (it still goes through the citation check); the pieces are
        only shown while the client waits. An answerer that writes its whole draft at once yields nothing
        (:class:`AnswersAtOnce`): the ask flow then previews the checked answer sentence by sentence.
        Closing the generator early stops the work behind it.
        """
        ...


class AnswersAtOnce(ABC):
    """The base of an answerer that writes its whole draft at once: its stream previews nothing."""

    name: str

    @abstractmethod
    def answer(
        self,
        question: str,
        passages: list[Passage],
        already_said: Sequence[str] = (),
        as_of: date | None = None,
    ) -> AnswerDraft:
        """A draft answer to ``question`` from ``passages`` (each subclass writes its own)."""

    def stream(
        self, question: str, passages: list[Passage], already_said: Sequence[str] = (), as_of: date | None = None
    ) -> Generator[str, None, AnswerDraft]:
        """No preview: the draft of :meth:`answer`, returned when the generator ends."""
        yield from ()
        return self.answer(question, passages, already_said, as_of)


class _NoPreview(AnswersAtOnce):
    """An answerer without ``stream``, given the stream of :class:`AnswersAtOnce`."""

    def __init__(self, answerer: Answerer):
        self._answerer = answerer
        self.name = answerer.name

    def answer(
        self,
        question: str,
        passages: list[Passage],
        already_said: Sequence[str] = (),
        as_of: date | None = None,
    ) -> AnswerDraft:
        return self._answerer.answer(question, passages, already_said, as_of)


def as_streaming(answerer: Answerer) -> StreamingAnswerer:
    """``answerer`` itself when it can stream; one with only ``name`` and ``answer`` (a test's stand-in,
    a script's) gets the stream of :class:`AnswersAtOnce`: no preview."""
    if isinstance(answerer, StreamingAnswerer):
        return answerer
    return _NoPreview(answerer)
