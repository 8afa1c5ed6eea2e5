"""Questions the archive cannot answer: how often newsdesk rightly declines them.

The dataset (``bench/unanswerable/realtimeqa.jsonl``, one question per line, see its README) holds
questions over the RealTime QA articles that no article visible at the question's ``as_of`` answers:
events reported only later, details no article gives, and look-alikes of the quiz questions. Each is
asked as of its ``as_of`` over the RealTime QA evaluation archive; it is right when newsdesk answers
``answered: false``. ``newsdesk eval realtimeqa --unanswerable PATH`` reports this decline rate beside
the quiz accuracy, from one run, so a stricter decline rule shows what it costs in answers.

The development split is the questions dated before 2026-01-01, as for the quiz.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from service.answer.ask import AskRequest
from service.evaluation.realtimeqa import Split, split_rows
from service.runtime import Runtime


@dataclass(frozen=True)
class UnanswerableQuestion:
    """A question no article visible at ``as_of`` answers; ``kind`` says why (later, no_detail, look_alike)."""

    id: str
    split: str
    as_of: date
    kind: str
    question: str


@dataclass
class DeclineResult:
    """How newsdesk did on one unanswerable question: right when ``declined``."""

    id: str
    kind: str
    question: str
    as_of: str
    declined: bool
    short_answer: str | None
    answer: str
    latency_ms: float
    # As in the quiz rows: whose draft it is (``llm:<model>``, the extractive fallback, or the asker's
    # name alone when it abstained before asking) and the notes saying why.
    answerer: str = ""
    notes: list[str] = field(default_factory=list)


def load_unanswerable(path: Path, split: Split) -> list[UnanswerableQuestion]:
    """The questions of ``split`` from a JSONL file (or every ``*.jsonl`` in a folder), in date order."""
    questions = [
        UnanswerableQuestion(
            id=row["id"],
            split=row["split"],
            as_of=date.fromisoformat(row["as_of"]),
            kind=row["kind"],
            question=row["question"],
        )
        for row in split_rows(path, split)
    ]
    return sorted(questions, key=lambda q: (q.as_of, q.id))


def evaluate_declines(runtime: Runtime, questions: list[UnanswerableQuestion], k: int = 8) -> Iterator[DeclineResult]:
    """Ask every question as of its date and note whether newsdesk declined."""
    for q in questions:
        started = time.perf_counter()
        answer = runtime.asker.ask(AskRequest(question=q.question, as_of=q.as_of, k=k))
        yield DeclineResult(
            id=q.id,
            kind=q.kind,
            question=q.question,
            as_of=q.as_of.isoformat(),
            declined=not answer.answered,
            short_answer=answer.short_answer,
            answer=answer.answer,
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
            answerer=answer.answerer,
            notes=list(answer.notes),
        )


def decline_summary(path: Path, results: list[DeclineResult]) -> dict[str, object]:
    """The decline rate over ``results``, overall and per kind (the ``unanswerable`` part of the report)."""
    by_kind: dict[str, dict[str, float]] = {}
    for kind in sorted({r.kind for r in results}):
        rows = [r for r in results if r.kind == kind]
        by_kind[kind] = {"questions": len(rows), "declined": round(sum(r.declined for r in rows) / len(rows), 4)}
    return {
        "dataset": str(path),
        "questions": len(results),
        "declined": round(sum(r.declined for r in results) / len(results), 4) if results else 0.0,
        "by_kind": by_kind,
    }
