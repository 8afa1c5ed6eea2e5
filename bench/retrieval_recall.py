"""What int8 embeddings cost in the retrieval a user gets: answer-recall of the service's hybrid search, by backend.

``bench/ingest_speed.py --recall`` compares backends on dense search alone (the store's nearest chunks). A
question to newsdesk goes through ``HybridRetriever``: dense and BM25 candidates fused, near-duplicates
dropped, passages cut around the best sentences. This ingests the same RealTime QA development articles
(``ingest_speed``'s selection) once per embedding backend, each into a fresh data folder through the
service's own runtime (so the lexical index is written as chunks are), then asks every development question
whose gold answer occurs in those articles, one at a time, and reports the share whose answer occurs in the
top 5 and top 10 results of:

* ``dense``: the retriever with ``using="dense"``;
* ``lexical``: ``using="lexical"`` (the same for every backend: it is the control);
* ``hybrid``: what ``ask`` and ``search`` use.

Run from the project root:
``.venv/bin/python bench/retrieval_recall.py [--articles 600] [--backends torch,onnx-int8] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from ingest_speed import DEFAULT_DATASET, RECALL_KS, answerable, dev_questions, select_articles

MODES = ("dense", "lexical", "hybrid")


def make_runtime(data_dir: Path, backend: str, model_cache: Path) -> Any:
    """A runtime over a fresh data folder with ``backend`` embeddings; no ``.env`` or ``NEWSDESK_*`` read."""
    from ingest.settings import EmbedBackend, IngestSettings
    from service.runtime import Runtime
    from service.settings import ServiceSettings

    ingest = IngestSettings(
        _env_file=None,
        data_dir=data_dir,
        chroma_url=None,
        embed_model=None,  # type: ignore[call-arg]
        embed_backend=cast(EmbedBackend, backend),  # IngestSettings rejects a backend it does not know
        model_cache=model_cache,
    )
    return Runtime(ServiceSettings(_env_file=None, ingest=ingest, llm="none"))  # type: ignore[call-arg]


def measure(backend: str, corpus: Path, questions: Sequence[Any], scratch: Path) -> dict[str, Any]:
    """Ingest ``corpus`` with ``backend``, then answer-recall@k of every retrieval mode."""
    from ingest.readers import read_sources

    runtime = make_runtime(scratch / backend, backend, scratch / "models")
    started = time.perf_counter()
    summary = runtime.ingestor.ingest(read_sources([str(corpus)], runtime.settings.ingest))
    ingest_s = time.perf_counter() - started
    result: dict[str, Any] = {"backend": backend, "chunks": summary.chunks, "ingest_s": round(ingest_s, 1)}
    runtime.lexical_follower.catch_up()
    for mode in MODES:
        hits = dict.fromkeys(RECALL_KS, 0)
        for q in questions:
            passages = runtime.retriever.retrieve(q.text, k=max(RECALL_KS), using=mode).passages
            for k in RECALL_KS:
                hits[k] += any(q.answer.lower() in p.text.lower() for p in passages[:k])
        for k in RECALL_KS:
            result[f"{mode}_recall@{k}"] = round(hits[k] / len(questions), 4)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Ingest once per backend, ask every answerable development question, print recall by mode."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET, help="RealTime QA folder")
    parser.add_argument("--articles", type=int, default=600, help="distinct development articles (default: 600)")
    parser.add_argument("--backends", default="torch,onnx-int8", help="comma-separated (default: %(default)s)")
    parser.add_argument("--json", type=Path, dest="json_path", help="also write the results here")
    args = parser.parse_args(argv)
    for name in [n for n in os.environ if n.startswith("NEWSDESK_")]:
        del os.environ[name]

    lines = select_articles(args.dataset, args.articles)
    texts = [r["text"] for line in lines for r in line["search_result"]]
    questions = answerable(dev_questions(args.dataset), texts)
    results = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-recall-") as tmp:
        scratch = Path(tmp)
        corpus = scratch / "bench_gcs.jsonl"
        corpus.write_text("".join(json.dumps(line) + "\n" for line in lines))
        for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
            print(f"{backend}: ingesting {len(texts)} articles, then {len(questions)} questions", file=sys.stderr)
            results.append(measure(backend, corpus, questions, scratch))

    print(f"{len(texts)} articles, {len(questions)} questions whose answer they hold; answer-recall at 5 / 10")
    print(f"{'backend':<12} {'chunks':>7} " + " ".join(f"{m:>15}" for m in MODES))
    for r in results:
        cells = " ".join(f"{r[f'{m}_recall@5']:7.1%}/{r[f'{m}_recall@10']:<7.1%}" for m in MODES)
        print(f"{r['backend']:<12} {r['chunks']:>7} {cells}")
    if args.json_path:
        payload = {"articles": len(texts), "questions": len(questions), "runs": results}
        args.json_path.write_text(json.dumps(payload, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
