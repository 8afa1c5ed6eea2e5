"""Where the follow-up misses are: the rewrite, retrieval, the answer, or declining.

Every follow-up turn of ``bench/followups`` (a split) goes in exactly one bucket, in this order:

- right (answered with an accepted answer, or an unanswerable turn declined);
- rewrite wrong: the standalone question lacks a ``mentions`` item (or a new topic / reset was
  read as a follow-up);
- retrieval missed: no accepted answer occurs in the k passages (split: the source article was
  retrieved or not);
- declined wrongly: the answer was in the passages, yet the turn was declined;
- answerer named the wrong thing: the answer was in the passages, another thing was named;
- failed to decline: an unanswerable turn was answered.

Buckets are counted per turn kind, and each miss is also counted by whether the turn before it
was answered right (a wrong earlier answer is carried into the rewrite). A second table counts the
declined turns by the rule that declined them (the answer's last note): answerable with the answer in
the passages (a loss), answerable without it, and unanswerable (a decline that was right). Either run the
conversations here (the evaluation archive under ``NEWSDESK_DATA_DIR``, extractive answerer
unless ``NEWSDESK_LLM`` says otherwise), or read the per-turn rows of a report that
``newsdesk eval followups`` wrote (``--report``)::

    NEWSDESK_DATA_DIR=/tmp/evaldata .venv/bin/python bench/followup_breakdown.py --split dev
    .venv/bin/python bench/followup_breakdown.py --report /tmp/evaldata/eval/followups-dev-....json

Tune on dev only; reading the test split's buckets is measuring.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path
from typing import Any

from service.evaluation import followups
from service.evaluation.archive import eval_settings
from service.runtime import Runtime
from service.settings import ServiceSettings

HERE = Path(__file__).resolve().parent
BUCKETS = [
    "right",
    "rewrite wrong",
    "retrieval missed: source article retrieved",
    "retrieval missed: source article not retrieved",
    "declined wrongly",
    "answerer named the wrong thing",
    "failed to decline",
]
KINDS = ["pronoun", "ellipsis", "what_about", "bare", "new_topic", "reset"]


def bucket(row: dict[str, Any]) -> str:
    """The one bucket a follow-up turn (a report row) falls in."""
    if row["correct"]:
        return "right"
    if not row["rewrite_ok"]:
        return "rewrite wrong"
    if not row["answerable"]:
        return "failed to decline"
    if not row["answer_retrieved"]:
        where = "retrieved" if row["source_retrieved"] else "not retrieved"
        return f"retrieval missed: source article {where}"
    return "answerer named the wrong thing" if row["answered"] else "declined wrongly"


# A note's rule: its words before the first figure, quote or parenthesis ("the answer's sentences speak
# only of 2019, ..." → "the answer's sentences speak only of").
_NOTE_DETAIL = re.compile(r"""[(\d"]|'(?!s\b)""")
DECLINE_COLUMNS = ["answer in passages", "answer not in passages", "unanswerable"]


def decline_reason(row: dict[str, Any]) -> str:
    """The rule that declined a turn: its answer's last note, without the details."""
    notes = row.get("notes") or []
    if not notes:
        return "(no note)"
    return _NOTE_DETAIL.split(notes[-1], maxsplit=1)[0].strip(" ,;:")


def declines(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Declined follow-up turns per rule: answerable with the answer in the passages, without it, unanswerable."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row["n"] == 1 or row["answered"] or row["kind"] in ("new_topic", "reset"):
            continue
        if not row["answerable"]:
            column = "unanswerable"
        else:
            column = "answer in passages" if row["answer_retrieved"] else "answer not in passages"
        counts[decline_reason(row)][column] += 1
    ordered = sorted(counts, key=lambda reason: -sum(counts[reason].values()))
    return {reason: {c: counts[reason][c] for c in DECLINE_COLUMNS} for reason in ordered}


def run(split: str, k: int) -> list[dict[str, Any]]:
    """Ask the split's conversations over the evaluation archive; the per-turn rows."""
    runtime = Runtime(eval_settings(ServiceSettings(), "realtimeqa"))
    runtime.warm_up()
    cases = followups.load_cases(HERE / "followups", split)  # type: ignore[arg-type]
    return [asdict(r) for r in followups.evaluate(runtime, cases, k=k)]


def table(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per bucket, per kind and bucket, and the misses that followed a wrong earlier turn."""
    later = [r for r in rows if r["n"] > 1]
    previous_right = {(r["conversation"], r["n"]): r["correct"] for r in rows}
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    after_wrong: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for row in later:
        name = bucket(row)
        counts[name] += 1
        by_kind[row["kind"] if row["answerable"] else "unanswerable"][name] += 1
        if not previous_right.get((row["conversation"], row["n"] - 1), True):
            after_wrong[name] += 1
    return {
        "follow_up_turns": len(later),
        "buckets": {b: counts[b] for b in BUCKETS},
        "after_a_wrong_turn": {b: after_wrong[b] for b in BUCKETS},
        "by_kind": {kind: {b: by_kind[kind][b] for b in BUCKETS} for kind in [*KINDS, "unanswerable"]},
        "declined_by_rule": declines(later),
    }


def show(found: dict[str, Any]) -> None:
    """Print the tables."""
    n = found["follow_up_turns"]
    columns = [*KINDS, "unanswerable"]
    print(f"{n} follow-up turns; kinds are of answerable turns, unanswerable ones apart")
    print(f"{'bucket':<48} {'all':>9} {'after wrong':>11} " + " ".join(f"{c[:9]:>9}" for c in columns))
    for b in BUCKETS:
        count = found["buckets"][b]
        cells = " ".join(f"{found['by_kind'][c][b]:>9}" for c in columns)
        print(f"{b:<48} {count:>4} {count / n:4.0%} {found['after_a_wrong_turn'][b]:>11} {cells}")
    totals = " ".join(f"{sum(found['by_kind'][c].values()):>9}" for c in columns)
    print(f"{'turns':<48} {n:>9} {sum(found['after_a_wrong_turn'].values()):>11} {totals}")
    print("\ndeclined follow-up turns, by the rule that declined them")
    print(f"{'rule':<64} " + " ".join(f"{c:>22}" for c in DECLINE_COLUMNS))
    for reason, cells in found["declined_by_rule"].items():
        print(f"{reason[:64]:<64} " + " ".join(f"{cells[c]:>22}" for c in DECLINE_COLUMNS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--k", type=int, default=8)
    parser.add_argument("--report", type=Path, help="A report of `newsdesk eval followups` to read instead of asking.")
    parser.add_argument("--json", type=Path, help="Write the counts here too.")
    args = parser.parse_args()
    rows = json.loads(args.report.read_text())["results"] if args.report else run(args.split, args.k)
    found = table(rows)
    show(found)
    if args.json:
        args.json.write_text(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
