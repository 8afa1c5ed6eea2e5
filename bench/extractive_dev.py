"""How well the extractive answerer alone finds the short answer, on the RealTime QA development split.

For every development question (``past/2025/*_qa.jsonl``, dated before 2026-01-01; the 2026
questions are the test split and are never read here) the passages come from that question's
own search results (``*_gcs.jsonl``), not from the archive:

* each article is cut into chunks by the project's ``Chunker`` (as ingest does);
* chunks are ranked by embedding similarity to the question (the bundled all-MiniLM-L6-v2,
  header included as ingest embeds it) plus the idf-weighted share of question terms, and
  the best ``--passages`` become the passages;
* their sentences are scored by retrieval's own ``score_sentences`` (``--scorer embed``,
  default) or by plain word overlap (``--scorer overlap``).

The answerer then gets the question as it is (free form, without the choices). A question counts
as correct when its gold choice occurs in ``short_answer`` and no other choice does (case,
curly quotes and a leading "the" ignored; words matched whole). This is an upper-bound-ish check
of the answerer on friendly passages, not of the whole system: retrieval over the whole archive
is harder. ``in evidence`` reports how often the gold string is in the passages at all.

Passages are cached (pickle) under ``--cache`` so tuning runs take seconds.

Run from the project root: ``.venv/bin/python bench/extractive_dev.py [--show-errors] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import pickle
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ingest.models import Article
from service.retrieval.evidence import Passage, Sentence

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent

DEFAULT_DATASET = PROJECT.parent / "shared" / "datasets" / "realtimeqa_2025-09_to_2026-04" / "past" / "2025"
DEV_BEFORE = "2026-01-01"
_WORD = re.compile(r"\w+")


@dataclass
class DevQuestion:
    qid: str
    date: str
    question: str
    choices: list[str]
    gold: str
    articles: list[Article]


# ----- data -----------------------------------------------------------------------------------


def load_questions(dataset: Path = DEFAULT_DATASET) -> list[DevQuestion]:
    """Development questions (dated before 2026) with their own search results as articles."""
    out: list[DevQuestion] = []
    for qa_file in sorted(dataset.glob("*_qa.jsonl")):
        if qa_file.name[:8] >= DEV_BEFORE.replace("-", ""):
            continue  # never open a test-split file
        gcs_file = qa_file.with_name(qa_file.name.replace("_qa.jsonl", "_gcs.jsonl"))
        results = {}
        if gcs_file.exists():
            for line in gcs_file.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                results[row["question_id"]] = row.get("search_result") or []
        for line in qa_file.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            if q["question_date"] >= DEV_BEFORE:
                continue
            articles = [_article(r) for r in results.get(q["question_id"], []) if (r.get("text") or "").strip()]
            out.append(
                DevQuestion(
                    qid=q["question_id"],
                    date=q["question_date"],
                    question=q["question_sentence"],
                    choices=list(q["choices"]),
                    gold=q["choices"][int(q["answer"][0])],
                    articles=articles,
                )
            )
    return out


def _article(result: dict[str, Any]) -> Article:
    text = result["text"]
    published = None
    if result.get("publish_date"):
        try:
            published = datetime.strptime(result["publish_date"], "%Y/%m/%d").replace(tzinfo=UTC)
        except ValueError:
            published = None
    url = result.get("url") or ""
    return Article(
        id=hashlib.sha1(url.encode() or text.encode()).hexdigest()[:16],
        title=result.get("title") or "",
        text=text,
        source=urlparse(url).netloc.removeprefix("www.") or None,
        authors=list(result.get("authors") or []),
        published_at=published,
        url=url or None,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
    )


# ----- passages -------------------------------------------------------------------------------


def _overlap_score(question_words: set[str], text: str) -> float:
    words = {w.lower() for w in _WORD.findall(text)}
    return len(question_words & words) / max(1, len(question_words))


def build_passages(
    questions: list[DevQuestion], n_passages: int, scorer: str, data_dir: Path
) -> dict[str, list[Passage]]:
    """Top ``n_passages`` chunks of each question's own articles, sentences scored."""
    import numpy as np

    from ingest.chunking import Chunker
    from ingest.embedding import load_embedder
    from ingest.lexical.tokens import tokenize
    from ingest.settings import IngestSettings
    from service.retrieval.sentences import score_sentences

    settings = IngestSettings(data_dir=data_dir)
    embedder = load_embedder(settings)
    chunker = Chunker(
        embedder.tokenizer, max_tokens=settings.embed_max_tokens, overlap_tokens=settings.chunk_overlap_tokens
    )
    out: dict[str, list[Passage]] = {}
    started = time.perf_counter()
    for done, q in enumerate(questions, 1):
        rows = []
        for article in q.articles:
            header = chunker.header(article)
            for chunk in chunker.split(article):
                rows.append((article, chunk, chunker.embedding_input(header, chunk)))
        if not rows:
            out[q.qid] = []
            continue
        qvec = embedder.encode([q.question])[0]
        dense = embedder.encode([r[2] for r in rows]) @ qvec
        q_terms = set(tokenize([q.question])[0])
        chunk_terms = tokenize([r[1].text for r in rows])
        df = Counter(t for terms in chunk_terms for t in set(terms))
        idf = {t: math.log(1 + len(rows) / df.get(t, 1)) for t in q_terms}
        total = sum(idf.values()) or 1.0
        lexical = [sum(idf[t] for t in q_terms.intersection(terms)) / total for terms in chunk_terms]
        fused = [float(d) + 0.5 * lx for d, lx in zip(dense, lexical, strict=True)]
        best = np.argsort(-np.asarray(fused))[:n_passages]
        passages = [
            Passage(
                article=rows[i][0], start=rows[i][1].start, end=rows[i][1].end, text=rows[i][1].text, score=fused[i]
            )
            for i in best
        ]
        if scorer == "embed":
            score_sentences(q.question, passages, embedder, qvec)
        else:
            from ingest.chunking import sentence_spans

            words = {w.lower() for w in _WORD.findall(q.question)} - {
                "the",
                "a",
                "an",
                "of",
                "in",
                "to",
                "which",
                "what",
            }
            for p in passages:
                for s, e in sentence_spans(p.text):
                    text = p.text[s:e]
                    p.sentences.append(Sentence(p.start + s, p.start + e, text, _overlap_score(words, text)))
        out[q.qid] = passages
        if done % 20 == 0:
            print(
                f"  passages for {done}/{len(questions)} questions ({time.perf_counter() - started:.0f} s)",
                file=sys.stderr,
            )
    return out


def cached_passages(
    questions: list[DevQuestion], n_passages: int, scorer: str, cache: Path
) -> dict[str, list[Passage]]:
    """``build_passages``, remembered in ``cache`` between runs."""
    cache.mkdir(parents=True, exist_ok=True)
    ids = hashlib.sha1(" ".join(q.qid for q in questions).encode()).hexdigest()[:10]
    path = cache / f"passages-{scorer}-{n_passages}-{ids}.pkl"
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    passages = build_passages(questions, n_passages, scorer, cache)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with tmp.open("wb") as fh:
        pickle.dump(passages, fh)
    os.replace(tmp, path)
    return passages


# ----- scoring --------------------------------------------------------------------------------


def _norm(text: str) -> str:
    t = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    t = re.sub(r"[\"\u2026]", " ", t)
    t = re.sub(r"\bthe\s+", "", t)
    return " ".join(t.split())


def _occurs(needle: str, haystack: str) -> bool:
    n = _norm(needle)
    return bool(n) and re.search(rf"(?<![\w$]){re.escape(n)}(?![\w])", haystack) is not None


def is_correct(short_answer: str | None, gold: str, choices: list[str]) -> bool:
    """Gold choice in the short answer, and no other choice (outside the gold's own words)."""
    if not short_answer:
        return False
    short = _norm(short_answer)
    if not _occurs(gold, short):
        return False
    rest = re.sub(rf"(?<![\w$]){re.escape(_norm(gold))}(?![\w])", " | ", short)
    return not any(_occurs(c, rest) for c in choices if c != gold)


def evaluate(answerer: Any, questions: list[DevQuestion], passages: dict[str, list[Passage]]) -> dict[str, Any]:
    """Accuracy, per question type, and latency of ``answerer.answer``."""
    rows = []
    latencies = []
    cpu = []
    for q in questions:
        ps = passages.get(q.qid, [])
        t0, c0 = time.perf_counter(), time.process_time()
        draft = answerer.answer(q.question, ps)
        latencies.append(1000 * (time.perf_counter() - t0))
        cpu.append(1000 * (time.process_time() - c0))
        evidence = _norm(" ".join(p.text for p in ps))
        rows.append(
            {
                "qid": q.qid,
                "question": q.question,
                "gold": q.gold,
                "short_answer": draft.short_answer,
                "answered": draft.answered,
                "correct": is_correct(draft.short_answer, q.gold, q.choices),
                "gold_in_evidence": _occurs(q.gold, evidence),
                "wh": answerer.question_type(q.question).wh if hasattr(answerer, "question_type") else "",
                "text": draft.text,
            }
        )
    n = len(rows)
    in_ev = [r for r in rows if r["gold_in_evidence"]]
    by_wh: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_wh[r["wh"]].append(r)
    lat = sorted(latencies)
    return {
        "questions": n,
        "accuracy": sum(r["correct"] for r in rows) / max(1, n),
        "correct": sum(r["correct"] for r in rows),
        "with_short_answer": sum(bool(r["short_answer"]) for r in rows),
        "gold_in_evidence": len(in_ev),
        "accuracy_when_gold_in_evidence": sum(r["correct"] for r in in_ev) / max(1, len(in_ev)),
        "by_wh": {wh: {"n": len(rs), "correct": sum(r["correct"] for r in rs)} for wh, rs in sorted(by_wh.items())},
        "latency_ms": {
            "mean": statistics.fmean(lat) if lat else 0.0,
            "p50": lat[len(lat) // 2] if lat else 0.0,
            "p95": lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else 0.0,
            "max": lat[-1] if lat else 0.0,
            "cpu_mean": statistics.fmean(cpu) if cpu else 0.0,
        },
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--passages", type=int, default=8, help="passages per question (default 8)")
    parser.add_argument("--scorer", choices=["embed", "overlap"], default="embed")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "newsdesk-extractive-dev")
    parser.add_argument("--limit", type=int, help="only the first N questions (a quick check)")
    parser.add_argument("--show-errors", action="store_true", help="print every question answered wrongly")
    parser.add_argument("--json", type=Path, help="write the full report here")
    args = parser.parse_args(argv)

    from service.answer.extractive import ExtractiveAnswerer

    questions = load_questions(args.dataset)
    if args.limit:
        questions = questions[: args.limit]
    passages = cached_passages(questions, args.passages, args.scorer, args.cache)
    answerer = ExtractiveAnswerer()
    t0 = time.perf_counter()
    answerer.nlp  # noqa: B018 - load spaCy before the clock starts
    load_s = time.perf_counter() - t0
    if questions:
        answerer.answer(questions[0].question, passages.get(questions[0].qid, []))  # warm-up
    report = evaluate(answerer, questions, passages)
    report["spacy_load_s"] = load_s

    if args.show_errors:
        for r in report["rows"]:
            if not r["correct"]:
                mark = "E" if r["gold_in_evidence"] else "-"
                print(
                    f"[{mark}] {r['wh']:<10} {r['question'][-80:]!r}\n      gold={r['gold']!r} "
                    f"got={r['short_answer']!r}"
                )
    lat = report["latency_ms"]
    print(
        f"dev questions: {report['questions']}  accuracy: {report['accuracy']:.3f} ({report['correct']})  "
        f"with a short answer: {report['with_short_answer']}\n"
        f"gold in the passages: {report['gold_in_evidence']}  accuracy there: "
        f"{report['accuracy_when_gold_in_evidence']:.3f}\n"
        f"answer() latency ms: mean {lat['mean']:.1f}  p50 {lat['p50']:.1f}  p95 {lat['p95']:.1f}  max "
        f"{lat['max']:.1f}  "
        f"cpu mean {lat['cpu_mean']:.1f}  "
        f"(spaCy load {load_s:.1f} s, passages: {args.passages}, scorer: {args.scorer})"
    )
    for wh, row in report["by_wh"].items():
        print(f"  {wh or '(none)':<12} {row['correct']:>3}/{row['n']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
