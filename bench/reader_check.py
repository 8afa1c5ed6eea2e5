"""What the reader's check (``NEWSDESK_READER_CHECK``) does to the answers of an LLM reader's eval report.

The check is a second reading after the reader answered, so its effect on a run can be measured
without reading every question again: for each answered question of a ``newsdesk eval realtimeqa
--unanswerable ... --out DIR`` report made with the check off, the evidence is retrieved again, the
sentences the answer quotes are found among what the reader was shown, and the configured model is
asked the check (:meth:`service.answer.llm.LLMAnswerer.confirms`). It prints how many right quiz
answers the check would lose, how many wrong ones it would decline, and the unanswerable questions'
decline rate before and after. An answer whose sentences are not found again (the model's own
sentence was kept, or retrieval changed since the run) is counted apart and left as it was.

    NEWSDESK_DATA_DIR=<eval archive> NEWSDESK_LLM=local .venv/bin/python bench/reader_check.py REPORT.json

``--answerer extractive`` replays it on the rows of one answerer only: in a report made with the check on,
the extractive fallbacks (the reader's short answer stood in no evidence sentence) are the unchecked ones.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from service.answer.ask import AskRequest
from service.answer.llm import LLMAnswerer
from service.answer.reader_context import EvidenceSentence
from service.evaluation.archive import eval_settings
from service.runtime import Runtime
from service.settings import ServiceSettings

_MARKERS = re.compile(r"\s*\[\d+\]")


def quoted(answer: str, shown: list[EvidenceSentence]) -> list[EvidenceSentence]:
    """The shown sentences the answer text quotes, in the answer's order."""
    parts = [" ".join(p.split()) for p in _MARKERS.split(answer) if p.strip()]
    by_text = {" ".join(item.text.split()): item for item in shown}
    return [by_text[p] for p in parts if p in by_text]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("report", type=Path)
    parser.add_argument("--json", type=Path, help="Write the per-question verdicts here too.")
    parser.add_argument("--answerer", help="Only the rows whose answerer is this (rows without one are skipped).")
    args = parser.parse_args()

    runtime = Runtime(eval_settings(ServiceSettings(), "realtimeqa"))
    runtime.warm_up()
    answerer = runtime.answerer
    if not isinstance(answerer, LLMAnswerer):
        raise SystemExit("reader_check asks the configured LLM: run it with NEWSDESK_LLM set")
    report = json.loads(args.report.read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = [
        {"set": "right" if r["correct"] else "wrong", "question": r["question"], "as_of": r["question_date"], **r}
        for r in report["results"]
    ] + [{"set": "unanswerable", **r, "answered": not r["declined"]} for r in report.get("unanswerable_results", [])]
    counts: Counter[str] = Counter()
    verdicts = []
    if args.answerer:
        rows = [row for row in rows if row.get("answerer") == args.answerer]
    for row in rows:
        counts[f"{row['set']}: questions"] += 1
        if not row["answered"] or not row["short_answer"]:
            counts[f"{row['set']}: declined before"] += 1
            continue
        asked_on = date.fromisoformat(row["as_of"])
        request = AskRequest(question=row["question"], as_of=asked_on)
        shown = answerer.evidence(runtime.asker.retrieve(request).passages)
        sentences = quoted(row["answer"], shown)
        if not sentences:
            counts[f"{row['set']}: sentences not found again"] += 1
            continue
        verdict = answerer.confirms(row["question"], row["short_answer"], sentences, asked_on)
        counts[f"{row['set']}: {'confirmed' if verdict.answers else 'declined by the check'}"] += 1
        verdicts.append({"set": row["set"], "question": row["question"], "short_answer": row["short_answer"]})
        verdicts[-1]["confirmed"] = verdict.answers
        mark = "kept    " if verdict.answers else "DECLINED"
        print(f"{mark}  {row['set']:<12} {row['short_answer']!r:<32} {row['question'][:70]}", flush=True)
    for key in sorted(counts):
        print(f"{key:<48} {counts[key]:>4}")
    if args.json:
        args.json.write_text(json.dumps({"counts": dict(counts), "verdicts": verdicts}, indent=2))


if __name__ == "__main__":
    main()
