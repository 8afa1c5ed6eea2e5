"""Calibrate ``min_evidence`` (when newsdesk abstains) on the RealTime QA development questions.

For every dev question: retrieve as of its date, note the evidence strength (best sentence score),
answer with abstention switched off, and score it. Then, for each threshold, print what abstaining
below it trades: accuracy, abstention rate, and precision (accuracy among answered questions).

    NEWSDESK_DATA_DIR=/tmp/evaldata .venv/bin/python bench/calibrate_abstention.py \
        --dataset ../shared/datasets/realtimeqa_2025-09_to_2026-04

The archive must already hold the dataset's articles (``newsdesk eval realtimeqa`` builds it).
Only the development split is read: the test split is for measuring, never for tuning.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from service.answer.ask import AskRequest
from service.evaluation.archive import eval_settings
from service.evaluation.realtimeqa import is_correct, load_questions
from service.runtime import Runtime
from service.settings import ServiceSettings

THRESHOLDS = [0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--dataset",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "datasets" / "realtimeqa_2025-09_to_2026-04",
    )
    parser.add_argument("--json", type=Path, help="Write the table here too.")
    args = parser.parse_args()

    runtime = Runtime(eval_settings(ServiceSettings(), "realtimeqa").model_copy(update={"min_evidence": 0.0}))
    runtime.warm_up()
    rows: list[tuple[float, bool]] = []
    for q in load_questions(args.dataset, "dev"):
        request = AskRequest(question=q.text, as_of=q.date)
        result = runtime.asker.retrieve(request)
        answer = runtime.asker.finish(request, result, runtime.asker.draft(request, result))
        rows.append(
            (
                runtime.asker.evidence_strength(result),
                is_correct(q, answer.short_answer, answer.answer, answer.answered),
            )
        )

    table = []
    print(f"{'threshold':>9} {'accuracy':>9} {'abstain':>8} {'precision':>10}")
    for t in THRESHOLDS:
        answered = [ok for strength, ok in rows if strength >= t]
        accuracy = sum(answered) / len(rows)
        abstain = 1 - len(answered) / len(rows)
        precision = sum(answered) / len(answered) if answered else 0.0
        table.append(
            {
                "threshold": t,
                "accuracy": round(accuracy, 4),
                "abstention": round(abstain, 4),
                "precision": round(precision, 4),
            }
        )
        print(f"{t:>9.2f} {accuracy:>9.3f} {abstain:>8.3f} {precision:>10.3f}")
    if args.json:
        args.json.write_text(json.dumps({"questions": len(rows), "table": table}, indent=2))


if __name__ == "__main__":
    main()
