"""Conversations over the RealTime QA archive: how often a follow-up is answered right or rightly declined.

The dataset (``bench/followups/realtimeqa.jsonl``, one conversation per line, see its README) is
asked turn by turn through the conversation API, as of each conversation's date, over the
RealTime QA evaluation archive. Scoring per follow-up turn:

- answerable: right when answered and an accepted answer is named (in the short answer, or in
  the answer when there is no short answer), as ``realtimeqa.mentions`` matches names;
- unanswerable (``"answerable": false``): right when declined (``answered: false``);
- rewrite: the standalone question names every ``mentions`` item (``"a|b"``: either), and a new
  topic or a reset is read as standing alone.

The development split is the conversations dated before 2026; tune there, measure test once.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from service.conversation.chat import ChatQuestion
from service.conversation.resolution import without_reset
from service.evaluation.realtimeqa import Split, mentions, split_rows
from service.runtime import Runtime

# The owner of evaluation conversations in the store (no API key fingerprint looks like it).
EVAL_OWNER = "eval"
STANDALONE_KINDS = frozenset({"new_topic", "reset"})


@dataclass(frozen=True)
class CaseTurn:
    """One question of a scripted conversation and what counts as right."""

    question: str
    kind: str
    answers: tuple[str, ...]
    answerable: bool
    mentions: tuple[str, ...]
    source_url: str | None = None


@dataclass(frozen=True)
class Case:
    """A scripted conversation, asked as of ``as_of``."""

    id: str
    split: str
    as_of: date
    turns: tuple[CaseTurn, ...]


@dataclass
class TurnResult:
    """How newsdesk did on one turn."""

    conversation: str
    n: int
    kind: str
    question: str
    standalone_question: str
    answerable: bool
    answered: bool
    short_answer: str | None
    correct: bool
    rewrite_ok: bool | None
    latency_ms: float
    # Where a miss happened (None on unanswerable turns): an accepted answer occurs in the
    # retrieved passages; the dataset's source article is among them.
    answer_retrieved: bool | None = None
    source_retrieved: bool | None = None
    # The best evidence sentence's score, which the abstain rule compares with its threshold.
    evidence: float = 0.0
    # The answer's notes: why a turn was declined, or fell back.
    notes: list[str] = field(default_factory=list)


@dataclass
class FollowUpReport:
    """The figures of one run, as ``newsdesk eval followups --json`` prints them."""

    dataset: str
    split: str
    conversations: int
    answerer: str
    resolver: str
    follow_up_turns: int
    follow_up_accuracy: float  # right or rightly declined
    answerable_accuracy: float
    unanswerable_declined: float
    rewrite_accuracy: float
    first_turn_accuracy: float
    by_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    latency_ms_p50_first: float = 0.0
    latency_ms_p50_follow_up: float = 0.0
    results: list[TurnResult] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        """The report without the per-turn rows."""
        document = asdict(self)
        document.pop("results")
        return document


def load_cases(path: Path, split: Split) -> list[Case]:
    """The conversations of ``split`` from a JSONL file (or every ``*.jsonl`` in a folder)."""
    cases = []
    for row in split_rows(path, split):
        turns = tuple(
            CaseTurn(
                question=t["question"],
                kind=t.get("kind", "first"),
                answers=tuple(t.get("answers", ())),
                answerable=bool(t.get("answerable", True)),
                mentions=tuple(t.get("mentions", ())),
                source_url=t.get("source_url"),
            )
            for t in row["turns"]
        )
        cases.append(Case(id=row["id"], split=row["split"], as_of=date.fromisoformat(row["as_of"]), turns=turns))
    return cases


def is_right(turn: CaseTurn, short_answer: str | None, answer: str, answered: bool) -> bool:
    """Answered with an accepted answer named, or, for a turn the archive cannot answer, declined."""
    if not turn.answerable:
        return not answered
    if not answered:
        return False
    text = short_answer if short_answer else answer
    return any(mentions(text, accepted) for accepted in turn.answers)


def rewrite_ok(turn: CaseTurn, standalone: str, follow_up: bool) -> bool | None:
    """Whether the rewrite named what it had to (None for a first turn)."""
    if turn.kind == "first":
        return None
    if turn.kind in STANDALONE_KINDS:
        return not follow_up
    lowered = standalone.lower()
    return all(any(choice.lower() in lowered for choice in item.split("|")) for item in turn.mentions)


def evaluate(runtime: Runtime, cases: list[Case], k: int = 8) -> Iterator[TurnResult]:
    """Ask every conversation turn by turn and score each turn.

    A turn is asked as ``Chat.ask`` asks it, in its two steps, so that the retrieved passages can
    be checked for the answer as well (where a miss happened: ``bench/followup_breakdown.py``).
    """
    chat = runtime.chat
    for case in cases:
        conversation: str | None = None
        for n, turn in enumerate(case.turns, 1):
            # The client keeps its as-of date on every turn, as an HTTP client would (a reset drops carried filters).
            asked = ChatQuestion(
                question=turn.question, conversation_id=conversation, owner=EVAL_OWNER, as_of=case.as_of, k=k
            )
            started = time.perf_counter()
            prepared = chat.prepare(asked)
            retrieved = chat.asker.retrieval_step(prepared.request)
            answer = chat.record(prepared, chat.asker.answer_step(retrieved))
            latency = (time.perf_counter() - started) * 1000
            conversation = answer.conversation_id
            standalone = answer.standalone_question or turn.question
            passages = retrieved.result.passages
            yield TurnResult(
                conversation=case.id,
                n=n,
                kind=turn.kind,
                question=turn.question,
                standalone_question=standalone,
                answerable=turn.answerable,
                answered=answer.answered,
                short_answer=answer.short_answer,
                correct=is_right(turn, answer.short_answer, answer.answer, answer.answered),
                rewrite_ok=rewrite_ok(
                    turn, standalone, standalone not in (turn.question, without_reset(turn.question))
                ),
                latency_ms=round(latency, 1),
                answer_retrieved=(
                    any(mentions(p.text, a) for p in passages for a in turn.answers) if turn.answerable else None
                ),
                source_retrieved=(
                    any(turn.source_url in (p.article.url, *p.article.urls) for p in passages)
                    if turn.source_url
                    else None
                ),
                evidence=round(chat.asker.evidence_strength(retrieved.result), 4),
                notes=list(answer.notes),
            )


def _rate(hits: list[bool]) -> float:
    return round(sum(hits) / len(hits), 4) if hits else 0.0


def build_report(
    dataset: Path, split: str, answerer: str, resolver: str, cases: list[Case], results: list[TurnResult]
) -> FollowUpReport:
    """Aggregate the turns into the run's figures."""
    later = [r for r in results if r.n > 1]
    first = [r for r in results if r.n == 1]
    by_kind: dict[str, dict[str, float]] = {}
    for kind, count in sorted(Counter(r.kind for r in later).items()):
        rows = [r for r in later if r.kind == kind]
        by_kind[kind] = {
            "turns": count,
            "right": _rate([r.correct for r in rows]),
            "rewrite": _rate([bool(r.rewrite_ok) for r in rows]),
        }
    return FollowUpReport(
        dataset=str(dataset),
        split=split,
        conversations=len(cases),
        answerer=answerer,
        resolver=resolver,
        follow_up_turns=len(later),
        follow_up_accuracy=_rate([r.correct for r in later]),
        answerable_accuracy=_rate([r.correct for r in later if r.answerable]),
        unanswerable_declined=_rate([r.correct for r in later if not r.answerable]),
        rewrite_accuracy=_rate([bool(r.rewrite_ok) for r in later]),
        first_turn_accuracy=_rate([r.correct for r in first]),
        by_kind=by_kind,
        latency_ms_p50_first=round(float(np.percentile([r.latency_ms for r in first], 50)), 1) if first else 0.0,
        latency_ms_p50_follow_up=round(float(np.percentile([r.latency_ms for r in later], 50)), 1) if later else 0.0,
        results=results,
    )
