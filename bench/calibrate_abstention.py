"""Calibrate when newsdesk declines, on the RealTime QA development questions and the unanswerable set.

Two thresholds, each a setting:

- ``min_evidence``: below this best-sentence score the answerer is not asked at all;
- ``min_coverage``: the extractive answer is declined when the sentence naming its short answer (with
  its headline) holds less than this share of the question's content words (service/answer/coverage.py).

For every dev quiz question and every dev question of ``bench/unanswerable``: retrieve as of its date,
note the evidence strength and the answer's coverage, answer with both thresholds off, and score it.
The rule with no threshold stays on: a question naming something no passage mentions is declined
before any answerer reads it (``Asker.unmentioned``).
Then print, per threshold, what declining below it trades: quiz accuracy, abstention, precision, and the
share of the unanswerable questions declined; and the quiz questions a chosen coverage threshold loses.

    NEWSDESK_DATA_DIR=/tmp/evaldata .venv/bin/python bench/calibrate_abstention.py \\
        --dataset ../shared/datasets/realtimeqa_2025-09_to_2026-04 --unanswerable bench/unanswerable

The archive must already hold the dataset's articles (``newsdesk eval realtimeqa`` builds it).
Only the development split is read: the test split is for measuring, never for tuning.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dataset_paths import realtimeqa_parser

from service.answer.ask import AskRequest
from service.answer.coverage import NAME_WEIGHT
from service.answer.extractive import ExtractiveAnswerer
from service.evaluation.archive import eval_settings
from service.evaluation.realtimeqa import is_correct, load_questions
from service.evaluation.unanswerable import load_unanswerable
from service.runtime import Runtime
from service.settings import ServiceSettings

EVIDENCE_THRESHOLDS = [0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]
COVERAGE_THRESHOLDS = [0.0, 0.2, 0.25, 0.3, 0.34, 0.4, 0.45, 0.5, 0.55, 0.6, 0.67, 0.75]
NAME_WEIGHTS = [1.0, 2.0, 3.0, 5.0]


@dataclass
class Row:
    """One asked question: its id, whether it can be answered, the two signals and whether the answer was right."""

    id: str
    question: str
    answerable: bool
    strength: float
    coverage: dict[float, float]  # by name weight
    answered: bool
    correct: bool
    short_answer: str | None


def ask(runtime: Runtime, question: str, as_of: date) -> tuple[float, dict[float, float], bool, str | None, str]:
    """Strength, coverage by name weight (1.0 when not extractive), answered, short answer and answer text;
    thresholds off."""
    request = AskRequest(question=question, as_of=as_of)
    result = runtime.asker.retrieve(request)
    strength = runtime.asker.evidence_strength(result)
    answerer = runtime.answerer
    covered = dict.fromkeys(NAME_WEIGHTS, 1.0)
    if isinstance(answerer, ExtractiveAnswerer) and result.passages:
        evidence = answerer.evidence(result.passages)
        if evidence:
            qtype = answerer.question_type(question)
            best = answerer.best_candidate(question, qtype, evidence, result.passages)
            covered = {
                w: answerer.coverage(question, qtype, best, evidence, result.passages, name_weight=w)
                for w in NAME_WEIGHTS
            }
    answer = runtime.asker.finish(request, result, runtime.asker.draft(request, result))
    return strength, covered, answer.answered, answer.short_answer, answer.answer


def table(
    rows: list[Row], title: str, signal: Callable[[Row], float], thresholds: list[float]
) -> list[dict[str, float]]:
    """For each threshold on ``signal`` (with ``min_evidence`` applied first): quiz accuracy, abstention,
    precision and the share of unanswerable questions declined."""
    quiz = [r for r in rows if r.answerable]
    unanswerable = [r for r in rows if not r.answerable]
    out = []
    print(f"\n{title}")
    print(f"{'threshold':>9} {'accuracy':>9} {'abstain':>8} {'precision':>10} {'declined':>9}")
    for t in thresholds:
        answered = [r for r in quiz if r.answered and signal(r) >= t]
        accuracy = sum(r.correct for r in answered) / len(quiz)
        abstain = 1 - len(answered) / len(quiz)
        precision = sum(r.correct for r in answered) / len(answered) if answered else 0.0
        declined = sum(not (r.answered and signal(r) >= t) for r in unanswerable) / (len(unanswerable) or 1)
        out.append(
            {
                "threshold": t,
                "accuracy": round(accuracy, 4),
                "abstention": round(abstain, 4),
                "precision": round(precision, 4),
                "unanswerable_declined": round(declined, 4),
            }
        )
        print(f"{t:>9.2f} {accuracy:>9.3f} {abstain:>8.3f} {precision:>10.3f} {declined:>9.3f}")
    return out


def coverage_signal(weight: float, floor: float) -> Callable[[Row], float]:
    """Coverage at name weight ``weight``; -1.0 (under every threshold) below the ``min_evidence`` floor."""
    return lambda r: r.coverage[weight] if r.strength >= floor else -1.0


def main() -> None:
    parser = realtimeqa_parser(__doc__)
    parser.add_argument("--unanswerable", type=Path, help="The unanswerable set (bench/unanswerable).")
    parser.add_argument("--coverage", type=float, default=None, help="List the quiz questions this threshold loses.")
    parser.add_argument("--json", type=Path, help="Write the tables and rows here too.")
    args = parser.parse_args()

    settings = eval_settings(ServiceSettings(), "realtimeqa")
    runtime = Runtime(settings.model_copy(update={"min_evidence": 0.0, "min_coverage": 0.0}))
    runtime.warm_up()
    rows: list[Row] = []
    for q in load_questions(args.dataset, "dev"):
        strength, covered, answered, short, text = ask(runtime, q.text, q.date)
        ok = is_correct(q, short, text, answered)
        rows.append(Row(q.id, q.text, True, strength, covered, answered, ok, short))
    for u in load_unanswerable(args.unanswerable, "dev") if args.unanswerable else []:
        strength, covered, answered, short, _ = ask(runtime, u.question, u.as_of)
        rows.append(Row(u.id, u.question, False, strength, covered, answered, False, short))

    floor = settings.min_evidence
    tables = {"min_evidence": table(rows, "min_evidence", lambda r: r.strength, EVIDENCE_THRESHOLDS)}
    for w in NAME_WEIGHTS:
        tables[f"min_coverage, name weight {w:g}"] = table(
            rows,
            f"min_coverage, name weight {w:g} (min_evidence {floor})",
            coverage_signal(w, floor),
            COVERAGE_THRESHOLDS,
        )
    if args.coverage is not None:
        print(f"\nat min_coverage {args.coverage}, name weight {NAME_WEIGHT:g} (min_evidence {floor}):")
        for r in rows:
            if r.answered and r.strength >= floor and r.coverage[NAME_WEIGHT] < args.coverage:
                what = "lost right answer" if r.correct else "dropped wrong" if r.answerable else "declined, right"
                print(f"  {what:>17}  {r.id}  {r.coverage[NAME_WEIGHT]:.2f}  {r.short_answer!r}  {r.question[:90]}")
    if args.json:
        document = {"tables": tables, "rows": [vars(r) for r in rows]}
        args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
