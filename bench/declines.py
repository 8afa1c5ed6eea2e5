"""Count a RealTime QA report's declines by the rule that declined them, without asking anything.

Every declined answer says why in its notes, the rule that declined it last ("no article found mentions
'UPS'", "no evidence sentence is close enough to the question (best 0.28, under 0.35)"). For a report of
``newsdesk eval realtimeqa ... --unanswerable bench/unanswerable --json`` this counts, per rule: quiz
questions declined with the gold choice in their passages (a loss), declined without it (the best an
answerer could do), and unanswerable questions declined (right). Reports from before 2026-12-07 lack the
weak-evidence note: those declines count as "(no note)". Tune on dev only::

    .venv/bin/python bench/declines.py REPORT.json
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from followup_breakdown import decline_reason

COLUMNS = ["quiz, gold in passages", "quiz, gold in none", "unanswerable"]


def count(report: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Declines per rule (most first): quiz questions with and without the gold in their passages, unanswerable ones."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in report["results"]:
        if not row["answered"]:
            counts[decline_reason(row)][COLUMNS[0] if row["recall_at_k"] else COLUMNS[1]] += 1
    for row in report.get("unanswerable_results", []):
        if row["declined"]:
            counts[decline_reason(row)][COLUMNS[2]] += 1
    ordered = sorted(counts, key=lambda rule: -sum(counts[rule].values()))
    return {rule: {c: counts[rule][c] for c in COLUMNS} for rule in ordered}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("report", type=Path, help="a report of newsdesk eval realtimeqa (JSON)")
    args = parser.parse_args()
    report = json.loads(args.report.read_text(encoding="utf-8"))
    print(f"RealTime QA {report['split']}, {report['answerer']}: declines by rule ({args.report.name})")
    print(f"{'rule':<64} " + " ".join(f"{c:>22}" for c in COLUMNS))
    for rule, cells in count(report).items():
        print(f"{rule[:64]:<64} " + " ".join(f"{cells[c]:>22}" for c in COLUMNS))


if __name__ == "__main__":
    main()
