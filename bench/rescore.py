"""Score a stored RealTime QA report's answers again with today's scorer, without asking anything.

An LLM reader's run takes most of an hour; when the scorer changes, its stored answers (the JSON report
``newsdesk eval realtimeqa --json`` names) are scored again here: accuracy (the gold choice's text in
the short answer, :func:`service.evaluation.realtimeqa.is_correct`) and accuracy by choice (the short
answer picks out the gold choice, :func:`service.evaluation.realtimeqa.picks_gold`). Each answer whose
verdict changes is listed with the gold choice, so a reader can judge the scorer too.

    .venv/bin/python bench/rescore.py REPORT.json [REPORT.json ...]
"""

from __future__ import annotations

import json
from pathlib import Path

from dataset_paths import realtimeqa_parser

from service.evaluation.realtimeqa import Question, is_correct, load_questions, picks_gold


def rescore(report_path: Path, questions: dict[str, Question]) -> dict[str, object]:
    """The report's accuracy as stored, and as today's two rules score its answers."""
    rows = json.loads(report_path.read_text(encoding="utf-8"))["results"]
    stored = now = by_choice = 0
    for row in rows:
        q = questions[row["id"]]
        correct = is_correct(q, row["short_answer"], row["answer"], row["answered"])
        picked = correct or row["answered"] and picks_gold(q, row["short_answer"])
        stored += row["correct"]
        now += correct
        by_choice += picked
        if correct != row["correct"] or picked != correct:
            rule = "accuracy" if correct != row["correct"] else "by choice"
            print(f"  {rule}: {row['short_answer']!r} for {q.gold_text!r} is now {'right' if picked else 'wrong'}")
    n = len(rows) or 1
    figures = {
        "report": report_path.name,
        "questions": len(rows),
        "accuracy_stored": round(stored / n, 4),
        "accuracy": round(now / n, 4),
        "accuracy_by_choice": round(by_choice / n, 4),
    }
    print(figures)
    return figures


def main() -> None:
    parser = realtimeqa_parser(__doc__)
    parser.add_argument("reports", type=Path, nargs="+", help="eval reports (JSON)")
    args = parser.parse_args()
    questions = {q.id: q for q in load_questions(args.dataset, "all")}
    for report in args.reports:
        rescore(report, questions)


if __name__ == "__main__":
    main()
