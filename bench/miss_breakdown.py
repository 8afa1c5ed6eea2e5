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

With ``--report`` it reads the misses of an LLM reader instead, from the JSON report of a
``NEWSDESK_LLM=local newsdesk eval realtimeqa ... --out DIR`` run (asking the model again would take
an hour). Each question is retrieved again (cheap, and the same passages) to see what the reader was
shown, the best sentences within ``NEWSDESK_READER_BUDGET_TOKENS``, and put in one bucket:

- right;
- fell back: the model failed (timeout, invalid JSON, a short answer in no sentence) and the
  extractive answer was given;
- declined, gold shown / declined, gold not shown: the reader said its evidence does not answer;
- retrieval: the gold choice is in none of the 8 passages;
- evidence cut: the gold is in the passages but not in the sentences the reader was shown;
- reader wrong: the gold was in a sentence the reader was shown.

    NEWSDESK_DATA_DIR=/tmp/evaldata .venv/bin/python bench/miss_breakdown.py --report DIR/realtimeqa-dev-....json

The archive must already
hold the dataset's articles (``newsdesk eval realtimeqa`` builds it). Reading the test split's
buckets is measuring; tune only on dev.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from dataset_paths import realtimeqa_parser

from service.answer.ask import AskRequest
from service.answer.extractive import ExtractiveAnswerer
from service.answer.reader_context import select_evidence
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


READER_BUCKETS = [
    "right",
    "fell back to the extractive answer",
    "declined, gold shown",
    "declined, gold not shown",
    "retrieval: gold in no passage",
    "evidence cut: gold in passages, not shown",
    "reader wrong: gold shown",
]


def reader_bucket(runtime: Runtime, row: dict[str, object], q: Question, k: int) -> str:
    """The one bucket an LLM reader's answer to ``q`` (``row`` of its eval report) falls in."""
    if row["correct"]:
        return "right"
    answerer = row.get("answerer")  # reports from before it was recorded lack it: fallbacks then go uncounted
    # "llm:<model>" drafted; "llm" alone abstained before asking it (evidence too weak): a decline, not a fallback
    if answerer is not None and not str(answerer).startswith("llm"):
        return "fell back to the extractive answer"
    result = runtime.asker.retrieve(AskRequest(question=q.text, as_of=q.date, k=k))
    shown = select_evidence(result.passages, runtime.settings.reader_budget_tokens)
    gold_shown = any(mentions(item.text, q.gold_text) for item in shown)
    if not row["answered"]:
        return "declined, gold shown" if gold_shown else "declined, gold not shown"
    if gold_shown:
        return "reader wrong: gold shown"
    if any(mentions(p.text, q.gold_text) for p in result.passages):
        return "evidence cut: gold in passages, not shown"
    return "retrieval: gold in no passage"


def reader_breakdown(runtime: Runtime, dataset: Path, report_path: Path) -> dict[str, object]:
    """The buckets of the questions in an LLM reader's eval report, printed and returned."""
    report = json.loads(report_path.read_text(encoding="utf-8"))
    questions = {q.id: q for q in load_questions(dataset, report["split"])}
    counts: Counter[str] = Counter()
    for row in report["results"]:
        counts[reader_bucket(runtime, row, questions[row["id"]], int(report["k"]))] += 1
    n = len(report["results"])
    print(f"RealTime QA {report['split']}, reader {report['answerer']}: {n} questions ({report_path.name})")
    for name in READER_BUCKETS:
        print(f"{name:<48} {counts[name]:>4}  {counts[name] / (n or 1):6.1%}")
    return {"split": report["split"], "questions": n, "buckets": {b: counts[b] for b in READER_BUCKETS}}


def main() -> None:
    parser = realtimeqa_parser(__doc__)
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--json", type=Path, help="Write the counts here too.")
    parser.add_argument("--report", type=Path, help="An LLM reader's eval report (JSON): break down its misses.")
    args = parser.parse_args()

    runtime = Runtime(eval_settings(ServiceSettings(), "realtimeqa"))
    runtime.warm_up()
    if args.report:
        reader_counts = reader_breakdown(runtime, args.dataset, args.report)
        if args.json:
            args.json.write_text(json.dumps(reader_counts, indent=2))
        return
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
