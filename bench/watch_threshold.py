"""Calibrate the topic-alert threshold: which best-sentence score separates a story on the topic from one that is not.

Labelled pairs come from the RealTime QA development questions (dated before 2026) and the archive
``newsdesk eval realtimeqa`` built from their search results:

- the **topic** is the question's content words (English stop words and quiz words dropped), as a
  journalist would type a watch: "long lines US airports";
- **on topic**: the question's own search results that the archive holds, published in the 14 days
  before the question (the week's news it quizzes on);
- **off topic**: on-topic articles of other questions: ``--near`` of questions asked within the
  same week (other stories of the same news days: the hard case) and ``--far`` of questions at
  least four weeks away.

The labels are noisy (a search result can be off the point), so read precision as a lower bound.
Each pair is scored by ``TopicMatcher.best_sentence``, the code the alerts run. It prints precision,
recall and F1 per threshold and the lowest threshold whose precision reaches ``--precision``: alerts
that interrupt a channel must be right far more often than they miss.

    NEWSDESK_DATA_DIR=/tmp/evaldata .venv/bin/python bench/watch_threshold.py
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dataset_paths import realtimeqa_parser

from ingest.identity import canonical_url
from ingest.lexical.tokens import STOP_WORDS
from service.evaluation.archive import eval_settings
from service.evaluation.realtimeqa import Question, article_files, load_questions
from service.runtime import Runtime
from service.settings import ServiceSettings
from service.watches.matching import TopicMatcher

# Words of a quiz question that no journalist would put in a watch.
QUIZ_WORDS = {"which", "what", "who", "whom", "whose", "where", "when", "why", "how", "week", "recently", "reportedly"}
ON_TOPIC_DAYS = 14
OFF_TOPIC_GAP_DAYS = 28
NEAR_DAYS = 3


def topic_of(question: str) -> str:
    """The question's content words, in order."""
    stop = STOP_WORDS | QUIZ_WORDS
    words = [w.strip("?.,\"'“”‘’()") for w in question.split()]
    return " ".join(w for w in words if w and w.lower() not in stop)


def on_topic_articles(runtime: Runtime, dataset: Path, questions: list[Question]) -> dict[str, list[str]]:
    """Question id -> ids of stored articles among its search results, published in the days before it."""
    by_url: dict[str, tuple[str, datetime | None]] = {}
    offset = 0
    while True:
        page = runtime.store.list_articles(limit=1000, offset=offset)
        if not page:
            break
        for article in page:
            if article.url:
                by_url[canonical_url(article.url)] = (article.id, article.published_at)
        offset += len(page)
    wanted = {q.id: q for q in questions}
    found: dict[str, list[str]] = defaultdict(list)
    for path in article_files(dataset):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            question = wanted.get(row.get("question_id", ""))
            if question is None:
                continue
            asked = datetime(question.date.year, question.date.month, question.date.day, tzinfo=UTC)
            for result in row.get("search_result") or []:
                hit = by_url.get(canonical_url(result.get("url") or ""))
                if hit is None or hit[1] is None:
                    continue
                published = hit[1] if hit[1].tzinfo else hit[1].replace(tzinfo=UTC)
                if asked - timedelta(days=ON_TOPIC_DAYS) <= published <= asked + timedelta(days=1):
                    if hit[0] not in found[question.id]:
                        found[question.id].append(hit[0])
    return found


def main() -> None:
    parser = realtimeqa_parser(__doc__)
    parser.add_argument("--near", type=int, default=2, help="off-topic articles per question from the same week")
    parser.add_argument("--far", type=int, default=2, help="off-topic articles per question from weeks away")
    parser.add_argument("--positives", type=int, default=3, help="at most this many on-topic articles per question")
    parser.add_argument("--precision", type=float, default=0.95, help="the precision the chosen threshold must reach")
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions (a quick look)")
    parser.add_argument("--json", type=Path, help="also write the pairs' scores and the table here")
    args = parser.parse_args()

    runtime = Runtime(eval_settings(ServiceSettings(), "realtimeqa"))
    questions = load_questions(args.dataset, "dev")
    if args.limit:
        questions = questions[: args.limit]
    on_topic = on_topic_articles(runtime, args.dataset, questions)
    questions = [q for q in questions if on_topic.get(q.id)]
    rng = random.Random(7)
    matcher = TopicMatcher(runtime.embedder, threshold=0.0)
    pairs: list[tuple[str, str, bool]] = []
    for q in questions:
        mine = set(on_topic[q.id])
        near = [
            a
            for other in questions
            if other.id != q.id and abs((other.date - q.date).days) <= NEAR_DAYS
            for a in on_topic[other.id][:1]
            if a not in mine
        ]
        far = [
            a
            for other in questions
            if abs((other.date - q.date).days) >= OFF_TOPIC_GAP_DAYS
            for a in on_topic[other.id][:1]
        ]
        pairs += [(q.id, a, True) for a in on_topic[q.id][: args.positives]]
        pairs += [(q.id, a, False) for a in rng.sample(near, min(args.near, len(near)))]
        pairs += [(q.id, a, False) for a in rng.sample(far, min(args.far, len(far)))]
    articles = runtime.store.get_articles(sorted({a for _, a, _ in pairs}))
    text_of = {q.id: topic_of(q.text) for q in questions}
    scored: list[tuple[float, bool]] = []
    rows = []
    for qid, aid, label in pairs:
        sentence = matcher.best_sentence(text_of[qid], articles[aid]) if aid in articles else None
        score = sentence.score if sentence is not None else 0.0
        scored.append((score, label))
        rows.append({"question": qid, "topic": text_of[qid], "article": aid, "on_topic": label, "score": score})

    positives = sum(1 for _, label in scored if label)
    print(f"{len(questions)} questions, {positives} on-topic and {len(scored) - positives} off-topic pairs")
    print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>6} {'alerts':>7}")
    table = []
    chosen = None
    for step in range(30, 86, 2):
        t = step / 100
        tp = sum(1 for s, label in scored if s >= t and label)
        fp = sum(1 for s, label in scored if s >= t and not label)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / positives if positives else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table.append({"threshold": t, "precision": precision, "recall": recall, "f1": f1, "alerts": tp + fp})
        print(f"{t:>9.2f} {precision:>9.3f} {recall:>7.3f} {f1:>6.3f} {tp + fp:>7}")
        if chosen is None and precision >= args.precision:
            chosen = table[-1]
    if chosen is not None:
        print(
            f"lowest threshold with precision >= {args.precision}: {chosen['threshold']:.2f} "
            f"(recall {chosen['recall']:.3f}, F1 {chosen['f1']:.3f})"
        )
    if args.json:
        args.json.write_text(json.dumps({"pairs": rows, "table": table, "chosen": chosen}, indent=1))


if __name__ == "__main__":
    main()
