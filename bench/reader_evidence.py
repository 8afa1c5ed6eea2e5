"""How often the reader is shown the answer: the gold choice among its evidence sentences, per context shape.

The LLM reader reads only the best sentences of the retrieved passages, within a token budget
(:func:`service.answer.reader_context.select_evidence`). It cannot name what it is not shown, so the
share of questions whose gold choice stands in a shown sentence bounds its accuracy. This measures
that share, with no model, for each number of passages ``--k`` and each ``--budget`` in tokens:

- gold in passages: the gold choice occurs in one of the ``k`` passages;
- gold shown: it occurs in one of the sentences the reader would be shown;
- tokens: the mean estimated prompt tokens of the evidence (what the reader's speed depends on).

Each question is asked as ``newsdesk eval`` asks it (as of its quiz date). The archive must hold the
dataset's articles (``newsdesk eval realtimeqa`` builds it). Tune on dev only::

    NEWSDESK_DATA_DIR=/work/evaldata .venv/bin/python bench/reader_evidence.py --k 8 --k 16 --budget 600
"""

from __future__ import annotations

import json
from pathlib import Path

from dataset_paths import realtimeqa_parser

from service.answer.ask import AskRequest
from service.answer.reader_context import approx_tokens, format_reader_evidence, select_evidence
from service.evaluation.archive import eval_settings
from service.evaluation.realtimeqa import Split, load_questions, mentions
from service.runtime import Runtime
from service.settings import ServiceSettings


def measure(
    runtime: Runtime, dataset: Path, split: Split, ks: list[int], budgets: list[int]
) -> list[dict[str, object]]:
    """One row per (k, budget): how many questions have the gold in their passages and in the shown sentences."""
    questions = load_questions(dataset, split)
    rows: dict[tuple[int, int], dict[str, float]] = {
        (k, b): {"in_passages": 0, "shown": 0, "tokens": 0} for k in ks for b in budgets
    }
    for q in questions:
        for k in ks:
            result = runtime.asker.retrieve(AskRequest(question=q.text, as_of=q.date, k=k))
            in_passages = any(mentions(p.text, q.gold_text) for p in result.passages)
            for budget in budgets:
                shown = select_evidence(result.passages, budget)
                row = rows[(k, budget)]
                row["in_passages"] += in_passages
                row["shown"] += any(mentions(item.text, q.gold_text) for item in shown)
                row["tokens"] += approx_tokens(format_reader_evidence(shown))
    n = len(questions)
    return [
        {
            "k": k,
            "budget": budget,
            "questions": n,
            "gold_in_passages": int(row["in_passages"]),
            "gold_shown": int(row["shown"]),
            "mean_tokens": round(row["tokens"] / (n or 1)),
        }
        for (k, budget), row in rows.items()
    ]


def main() -> None:
    parser = realtimeqa_parser(__doc__)
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--k", type=int, action="append", help="passages retrieved (repeatable; default 8)")
    parser.add_argument("--budget", type=int, action="append", help="evidence tokens (repeatable; default 600)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()

    runtime = Runtime(eval_settings(ServiceSettings(), "realtimeqa"))
    runtime.warm_up()
    rows = measure(runtime, args.dataset, args.split, args.k or [8], args.budget or [600])
    if args.json:
        print(json.dumps({"split": args.split, "rows": rows}, indent=2))
        return
    print(f"RealTime QA {args.split}: {rows[0]['questions'] if rows else 0} questions")
    print(f"{'k':>3} {'budget':>7} {'gold in passages':>17} {'gold shown':>11} {'mean tokens':>12}")
    for row in rows:
        print(
            f"{row['k']:>3} {row['budget']:>7} {row['gold_in_passages']:>17} {row['gold_shown']:>11}"
            f" {row['mean_tokens']:>12}"
        )


if __name__ == "__main__":
    main()
