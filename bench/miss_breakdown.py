"""Where the RealTime QA misses are: the dataset, retrieval, or the short answer.

For every question of a split: ask it as ``newsdesk eval`` does (as of its date, k = 8, citations
checked) and put it in exactly one bucket:

- right;
- abstained;
- retrieval: the gold choice is in none of the 8 passages (split further: in the top 40 or not);
- short answer, misranked: the gold choice is a candidate of the extractive answerer, not the first;
- short answer, not found: the gold is in the passages, but no candidate names it;
- short answer, wrong choice mentioned too: the top candidate names the gold and another choice;
- no entity asked: the question wants no entity and the answer sentences missed.

It also prints how often the gold choice occurs in the question's own search results (the
dataset's ``*_gcs.jsonl``): an upper bound on what any retriever over this archive finds.

    NEWSDESK_DATA_DIR=/tmp/evaldata .venv/bin/python bench/miss_breakdown.py --split dev

The archive must already
hold the dataset's articles (``newsdesk eval realtimeqa`` builds it). Reading the test split's
buckets is measuring; tune only on dev.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from service.answer.ask import AskRequest
from service.answer.extractive import ExtractiveAnswerer
from service.evaluation.archive import eval_settings
from service.evaluation.realtimeqa import Question, article_files, is_correct, load_questions, mentions
from service.retrieval.evidence import RetrievalResult
from service.runtime import Runtime
from service.settings import ServiceSettings

DEEP_K = 40
BUCKETS = [
    "right",
    "abstained",
    "retrieval: gold in top 40",
    "retrieval: gold not in top 40",
    "short answer: gold misranked",
    "short answer: gold not a candidate",
    "short answer: another choice named too",
    "no entity asked",
]


def own_results(dataset: Path) -> dict[str, str]:
    """Each question id's search results, as one text (titles and bodies)."""
    texts: dict[str, str] = {}
    for path in article_files(dataset):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts[row["question_id"]] = "\n".join(
                    f"{a.get('title') or ''}\n{a.get('text') or ''}" for a in row["search_result"]
                )
    return texts


def bucket(runtime: Runtime, answerer: ExtractiveAnswerer, q: Question, result: RetrievalResult) -> str:
    """The one bucket ``q`` falls in."""
    request = AskRequest(question=q.text, as_of=q.date, k=8)
    answer = runtime.asker.finish(request, result, runtime.asker.draft(request, result))
    if is_correct(q, answer.short_answer, answer.answer, answer.answered):
        return "right"
    if not answer.answered:
        return "abstained"
    if not any(mentions(p.text, q.gold_text) for p in result.passages):
        deep = runtime.asker.retrieve(AskRequest(question=q.text, as_of=q.date, k=DEEP_K))
        found = any(mentions(p.text, q.gold_text) for p in deep.passages)
        return "retrieval: gold in top 40" if found else "retrieval: gold not in top 40"
    qtype = answerer.question_type(q.text)
    if not qtype.wants_entity:
        return "no entity asked"
    ranked = answerer.candidates(q.text, qtype, answerer.evidence(result.passages), result.passages)
    if ranked and mentions(ranked[0].display, q.gold_text):
        return "short answer: another choice named too"
    if any(mentions(c.display, q.gold_text) for c in ranked):
        return "short answer: gold misranked"
    return "short answer: gold not a candidate"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--dataset",
        type=Path,
        default=Path(__file__).resolve().parents[2] / "shared" / "datasets" / "realtimeqa_2025-09_to_2026-04",
    )
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--json", type=Path, help="Write the counts here too.")
    args = parser.parse_args()

    runtime = Runtime(eval_settings(ServiceSettings(), "realtimeqa"))
    runtime.warm_up()
    answerer = runtime.answerer
    if not isinstance(answerer, ExtractiveAnswerer):
        raise SystemExit("the breakdown reads the extractive answerer's candidates: run it with NEWSDESK_LLM=none")
    questions = load_questions(args.dataset, args.split)
    own = own_results(args.dataset)
    counts: Counter[str] = Counter()
    for q in questions:
        counts[
            bucket(runtime, answerer, q, runtime.asker.retrieve(AskRequest(question=q.text, as_of=q.date, k=8)))
        ] += 1
    in_own = sum(mentions(own.get(q.id, ""), q.gold_text) for q in questions)
    n = len(questions)
    print(f"RealTime QA {args.split}: {n} questions")
    print(f"{'gold in its own search results (dataset bound)':<48} {in_own:>4}  {in_own / n:6.1%}")
    for name in BUCKETS:
        print(f"{name:<48} {counts[name]:>4}  {counts[name] / n:6.1%}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "split": args.split,
                    "questions": n,
                    "gold_in_own_results": in_own,
                    "buckets": {b: counts[b] for b in BUCKETS},
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
