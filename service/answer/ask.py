"""Asking: retrieve evidence, let the answerer draft, check citations, or abstain.

This is the Python API behind ``newsdesk ask``, ``POST /v1/ask`` and the Slack bot.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as clock

from ingest.embedding import Embedder
from service.answer.base import Answerer
from service.answer.citations import check_citations
from service.answer.models import Answer, AnswerDraft
from service.retrieval.evidence import RetrievalResult
from service.retrieval.hybrid import HybridRetriever
from service.stages import staged

log = logging.getLogger(__name__)

# Below this best-sentence score the evidence is too weak to answer from; calibrated on the
# development questions (README, "How well it answers").
MIN_EVIDENCE = 0.35


@dataclass
class AskRequest:
    """A question and the filters it is asked under."""

    question: str
    as_of: datetime | date | None = None
    sources: Sequence[str] | None = None
    since: datetime | date | None = None
    until: datetime | date | None = None
    k: int = 8
    extra_notes: list[str] = field(default_factory=list)
    # Follow-ups only: the articles earlier turns cited (retrieval weighs them) and the question
    # as typed (``question`` is then the rewrite that stands alone).
    context_articles: Sequence[str] = ()
    asked: str | None = None


def end_of(value: datetime | date | None) -> datetime | None:
    """A date means the whole of that day (UTC); datetimes are kept, made time-zone aware."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, clock(23, 59, 59), tzinfo=UTC)


def start_of(value: datetime | date | None) -> datetime | None:
    """A date means from the start of that day (UTC)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, clock(0, 0), tzinfo=UTC)


class Asker:
    """Answers questions from the archive with checked citations."""

    def __init__(
        self, retriever: HybridRetriever, answerer: Answerer, embedder: Embedder, min_evidence: float = MIN_EVIDENCE
    ):
        self.retriever = retriever
        self.answerer = answerer
        self.embedder = embedder
        self.min_evidence = min_evidence

    @staged("retrieve")
    def retrieve(self, request: AskRequest) -> RetrievalResult:
        """The evidence for ``request`` (the first half of ``ask``; streaming uses it alone)."""
        return self.retriever.retrieve(
            request.question,
            k=request.k,
            as_of=end_of(request.as_of),
            sources=request.sources,
            since=start_of(request.since),
            until=end_of(request.until),
            prefer_articles=request.context_articles,
            asked=request.asked,
        )

    def ask(self, request: AskRequest) -> Answer:
        """Answer ``request``: a checked, cited answer or an honest ``answered: false``."""
        started = time.perf_counter()
        result = self.retrieve(request)
        retrieved = time.perf_counter()
        draft = self.draft(request, result)
        answer = self.finish(request, result, draft)
        done = time.perf_counter()
        answer.timings_ms = {
            "retrieve": round((retrieved - started) * 1000, 1),
            "answer": round((done - retrieved) * 1000, 1),
            "total": round((done - started) * 1000, 1),
        }
        return answer

    def evidence_strength(self, result: RetrievalResult) -> float:
        """The best sentence score among the passages (0 when there are none)."""
        return max((s.score for p in result.passages for s in p.sentences), default=0.0)

    @staged("answerer")
    def draft(self, request: AskRequest, result: RetrievalResult) -> AnswerDraft | None:
        """The answerer's draft, or None when the evidence is too weak to try."""
        if not result.passages or self.evidence_strength(result) < self.min_evidence:
            return None
        return self.answerer.answer(request.question, result.passages)

    @staged("finish")
    def finish(self, request: AskRequest, result: RetrievalResult, draft: AnswerDraft | None) -> Answer:
        """Check the draft's citations and build the contract's Answer."""
        as_of = result.as_of.date().isoformat()
        notes = list(request.extra_notes)
        if draft is not None and draft.note:
            notes.append(draft.note)
        answerer = draft.answerer if draft is not None else self.answerer.name
        if draft is None or not draft.answered:
            return self._abstain(request, result, answerer, notes)
        checked = check_citations(draft.text, result.passages, self.embedder)
        notes.extend(checked.notes)
        if not checked.supported:
            notes.append("no sentence of the draft was supported by the evidence")
            return self._abstain(request, result, answerer, notes)
        return Answer(
            question=request.question,
            answer=checked.text,
            short_answer=draft.short_answer,
            answered=True,
            as_of=as_of,
            citations=checked.citations,
            answerer=answerer,
            notes=notes,
        )

    def _abstain(self, request: AskRequest, result: RetrievalResult, answerer: str, notes: list[str]) -> Answer:
        scope = []
        if result.sources:
            scope.append("from " + ", ".join(result.sources))
        if result.since:
            scope.append("since " + result.since.date().isoformat())
        scope.append("up to " + result.as_of.date().isoformat())
        return Answer(
            question=request.question,
            answer=f"The archive holds nothing that answers this question (searched articles {' '.join(scope)}).",
            short_answer=None,
            answered=False,
            as_of=result.as_of.date().isoformat(),
            citations=[],
            answerer=answerer,
            notes=notes,
        )
