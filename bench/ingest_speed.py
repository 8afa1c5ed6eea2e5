"""Ingest throughput of newsdesk against a plain LangChain pipeline, and what quantisation costs in recall.

Both systems ingest the same articles of the RealTime QA development split (``*_gcs.jsonl`` files dated
before 2026, taken in file order, first N distinct articles), read from one temporary JSONL file:

* baseline: a plain ``json`` loop into LangChain ``Document``s, ``RecursiveCharacterTextSplitter(1000, 100)``,
  ``HuggingFaceEmbeddings`` on the bundled all-MiniLM-L6-v2 and ``Chroma.from_documents`` (embedded);
* newsdesk: ``Ingestor(...).ingest(read_sources([file], settings))`` with each requested embedding backend.

Every system runs in its own subprocess with a fresh data folder, so peak RSS belongs to that system
alone. The model is loaded (and given one warm-up forward pass) before the clock starts: loading is not
ingest throughput, it is reported separately. The one-off ONNX export/quantisation runs in a subprocess
of its own before any timed run.

``--recall`` also ingests with the full-precision ``torch`` backend and compares answer-recall@k on the
development questions whose gold answer occurs in the ingested articles: the issue allows a faster
backend only if its recall stays within 1 % of full precision.

Run from the project root: ``.venv/bin/python bench/ingest_speed.py [--recall] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # annotations only: a child imports newsdesk's modules inside its load clock
    from ingest.settings import EmbedBackend

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent

DEFAULT_DATASET = PROJECT.parent / "shared" / "datasets" / "realtimeqa_2025-09_to_2026-04"
DEV_BEFORE = "2026"  # file names start with the release date: 2025xxxx is development, 2026xxxx is test
RECALL_KS = (5, 10)
TARGET_SPEEDUP = 1.5
RECALL_TOLERANCE = 0.01  # relative: a faster backend keeps >= 99 % of full precision's recall
BASELINE = "langchain"
NEWSDESK = "newsdesk"


# ----- data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One development question and the choice that answers it."""

    id: str
    text: str
    answer: str


def dev_files(dataset: Path, kind: str) -> list[Path]:
    """The development split's ``*_{kind}.jsonl`` files, oldest first."""
    files = sorted((dataset / "past").glob(f"*/*_{kind}.jsonl"), key=lambda p: p.name)
    if not files:
        raise SystemExit(f"no *_{kind}.jsonl files under {dataset / 'past'}")
    return [f for f in files if f.name < DEV_BEFORE]


def iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The objects of a JSONL file, skipping blank lines."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def select_articles(dataset: Path, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` distinct usable articles of the development split, as gcs lines.

    Returns gcs-shaped lines (``question_id``, ``search_time``, ``search_result``) holding only the
    chosen results, so newsdesk reads them through its real RealTime QA reader. Distinct means a new
    canonical URL *and* a new text: newsdesk stores a repeated URL or text once, and counting it
    twice for one system only would skew articles/s.
    """
    from ingest.identity import canonical_url, text_fingerprint

    seen_urls: set[str] = set()
    seen_texts: set[str] = set()
    lines: list[dict[str, Any]] = []
    taken = 0
    for path in dev_files(dataset, "gcs"):
        for line in iter_jsonl(path):
            kept = []
            for result in line.get("search_result") or []:
                if taken >= limit:
                    break
                url, text, title = result.get("url") or "", result.get("text") or "", result.get("title") or ""
                if not (url and text.strip() and title.strip()):
                    continue
                key_url, key_text = canonical_url(url), text_fingerprint(text)
                if key_url in seen_urls or key_text in seen_texts:
                    continue
                seen_urls.add(key_url)
                seen_texts.add(key_text)
                kept.append(result)
                taken += 1
            if kept:
                lines.append({**line, "search_result": kept})
            if taken >= limit:
                return lines
    return lines


def corpus_texts(corpus: Path) -> list[str]:
    """Every article text of a gcs-shaped corpus file."""
    return [r["text"] for line in iter_jsonl(corpus) for r in line["search_result"]]


def dev_questions(dataset: Path) -> list[Question]:
    """Every development question with its gold choice."""
    questions = []
    for path in dev_files(dataset, "qa"):
        for row in iter_jsonl(path):
            answers = row.get("answer") or []
            choices = row.get("choices") or []
            if not answers or not str(answers[0]).isdigit() or int(answers[0]) >= len(choices):
                continue
            gold = str(choices[int(answers[0])]).strip()
            if gold:
                questions.append(Question(id=row["question_id"], text=row["question_sentence"], answer=gold))
    return questions


def answerable(questions: Sequence[Question], texts: Sequence[str]) -> list[Question]:
    """The questions whose gold answer occurs (case-insensitively) in at least one article."""
    lowered = [t.lower() for t in texts]
    return [q for q in questions if any(q.answer.lower() in t for t in lowered)]


# ----- one measured run (in a subprocess) -----------------------------------------------------


@dataclass
class RunSpec:
    """What one child process does."""

    system: str
    backend: EmbedBackend
    corpus: str
    work_dir: str
    model_cache: str
    result_path: str
    questions: list[dict[str, str]] = field(default_factory=list)
    profile_path: str | None = None
    round: int = 1


@dataclass
class RunResult:
    """What one child process measured."""

    system: str
    backend: str
    round: int = 1
    articles: int = 0
    failed: int = 0
    chunks: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0
    load_s: float = 0.0
    rss_loaded_mb: float = 0.0
    peak_rss_mb: float = 0.0
    load_average: float = 0.0
    recall: dict[str, float] = field(default_factory=dict)
    top_ids: dict[str, list[str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How the tables name this run."""
        return BASELINE if self.system == BASELINE else f"{NEWSDESK} {self.backend}"

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.wall_s if self.wall_s else 0.0

    @property
    def chunks_per_s(self) -> float:
        return self.chunks / self.wall_s if self.wall_s else 0.0


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process: less sensitive than wall time to other load on the box."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Stopwatch:
    """Wall and CPU time of one block."""

    def __enter__(self) -> Stopwatch:
        self.wall, self.cpu = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, cpu_seconds() - self.cpu


@contextmanager
def profiled(path: str | None) -> Iterator[None]:
    """cProfile the block into ``path`` when one is given (it slows the run: use it to find where time goes)."""
    if path is None:
        yield
        return
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        profiler.dump_stats(path)


def answer_recall(tops: dict[str, list[str]], questions: Sequence[Question], k: int) -> float:
    """Share of questions whose gold answer occurs in one of their top-``k`` passages."""
    if not questions:
        return 0.0
    hit = sum(any(q.answer.lower() in text.lower() for text in tops[q.id][:k]) for q in questions)
    return hit / len(questions)


def run_newsdesk(spec: RunSpec, result: RunResult, questions: list[Question]) -> None:
    """Ingest with newsdesk's own pipeline, then (optionally) retrieve for every question."""
    with Stopwatch() as load:
        from ingest.embedding import load_embedder
        from ingest.pipeline import Ingestor
        from ingest.readers import read_sources
        from ingest.settings import IngestSettings
        from ingest.store import open_store

        settings = IngestSettings(
            data_dir=Path(spec.work_dir),
            chroma_url=None,
            embed_model=None,
            embed_backend=spec.backend,
            model_cache=Path(spec.model_cache),
        )
        embedder = load_embedder(settings)
        embedder.encode(["warm-up pass: first calls pay one-off allocation costs"])
    result.load_s, result.rss_loaded_mb = load.wall, peak_rss_mb()

    with Stopwatch() as clock, profiled(spec.profile_path):
        # Opening the store is timed, as Chroma.from_documents opens its client inside the baseline's clock.
        store = open_store(settings, embedder.name, embedder.dimension)
        summary = Ingestor(settings, store, embedder).ingest(read_sources([spec.corpus], settings))
    result.wall_s, result.cpu_s, result.peak_rss_mb = clock.wall, clock.cpu, peak_rss_mb()
    result.articles, result.failed, result.chunks = summary.new + summary.updated, summary.failed, summary.chunks
    for failure in summary.failures[:5]:
        print(f"  newsdesk failed {failure.origin}: {failure.reason}", file=sys.stderr)

    # Top-5 is read as the first five of top-10: the same ranking, one query instead of two.
    for q in questions:
        # One question per call, as the service asks: int8 activations are quantised per batch.
        hits = store.query_chunks(embedder.encode([q.text])[0], max(RECALL_KS))
        result.top_ids[q.id] = [h.chunk.id for h in hits]
        result.top_ids[q.id + "#text"] = [h.chunk.text for h in hits]


def run_baseline(spec: RunSpec, result: RunResult, questions: list[Question]) -> None:
    """Ingest the way the LangChain docs do it (``bench/langchain_ingest.py``), then (optionally) retrieve."""
    with Stopwatch() as load:
        # Imported before the clock, as newsdesk's modules are: module loading is not ingest throughput.
        import langchain_chroma  # noqa: F401
        import langchain_text_splitters  # noqa: F401
        from langchain_ingest import load_embeddings, read_documents, store

        embeddings = load_embeddings()
        embeddings.embed_query("warm-up pass: first calls pay one-off allocation costs")
    result.load_s, result.rss_loaded_mb = load.wall, peak_rss_mb()

    with Stopwatch() as clock, profiled(spec.profile_path):
        docs = read_documents(Path(spec.corpus))
        db, result.chunks = store(docs, embeddings, Path(spec.work_dir) / "chroma")
    result.wall_s, result.cpu_s, result.peak_rss_mb = clock.wall, clock.cpu, peak_rss_mb()
    result.articles = len(docs)

    for q in questions:
        found = db.similarity_search(q.text, k=max(RECALL_KS))
        result.top_ids[q.id + "#text"] = [d.page_content for d in found]


def warm_model_cache(spec: RunSpec) -> None:
    """Export (and quantise) the model to ONNX once, so no timed run pays for it."""
    from ingest.embedding import load_embedder
    from ingest.settings import IngestSettings

    settings = IngestSettings(
        data_dir=Path(spec.work_dir),
        embed_backend=spec.backend,
        model_cache=Path(spec.model_cache),
    )
    load_embedder(settings)


def child_main(spec_path: str) -> None:
    """Entry point of a child process: run one system, write its RunResult as JSON."""
    spec = RunSpec(**json.loads(Path(spec_path).read_text()))
    if spec.system == "warm":
        warm_model_cache(spec)
        return
    questions = [Question(**q) for q in spec.questions]
    result = RunResult(system=spec.system, backend=spec.backend, round=spec.round, load_average=os.getloadavg()[0])
    runner = run_baseline if spec.system == BASELINE else run_newsdesk
    runner(spec, result, questions)
    tops = {q.id: result.top_ids.pop(q.id + "#text") for q in questions}
    result.recall = {f"@{k}": answer_recall(tops, questions, k) for k in RECALL_KS} if questions else {}
    Path(spec.result_path).write_text(json.dumps(asdict(result)))


# ----- the parent: orchestrate, compare, print -------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment for children: offline, no telemetry, and none of the user's NEWSDESK_ settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(
        HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False", TOKENIZERS_PARALLELISM="false"
    )
    return env


def spawn(spec: RunSpec, scratch: Path) -> RunResult | None:
    """Run one spec in a fresh Python process (its own peak RSS, its own model) and read its result."""
    spec_path = Path(spec.work_dir).with_suffix(".spec.json")
    spec_path.write_text(json.dumps(asdict(spec)))
    # cwd=scratch: IngestSettings reads a .env from the working directory, and the user's must not leak in.
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(spec_path)], cwd=scratch, env=child_env()
    )
    if done.returncode != 0:
        raise SystemExit(f"{spec.system} {spec.backend} failed with exit code {done.returncode}")
    if spec.system == "warm":
        return None
    return RunResult(**json.loads(Path(spec.result_path).read_text()))


def make_spec(
    system: str,
    backend: EmbedBackend,
    corpus: Path,
    scratch: Path,
    model_cache: Path,
    questions: Sequence[Question] = (),
    round_no: int = 1,
    profile_dir: Path | None = None,
) -> RunSpec:
    """A spec with its own fresh data folder under ``scratch``."""
    name = f"{system}-{backend}-r{round_no}"
    work = scratch / name
    work.mkdir(parents=True, exist_ok=True)
    return RunSpec(
        system=system,
        backend=backend,
        corpus=str(corpus),
        work_dir=str(work),
        model_cache=str(model_cache),
        result_path=str(scratch / f"{name}.result.json"),
        questions=[asdict(q) for q in questions],
        profile_path=str(profile_dir / f"{name}.prof") if profile_dir else None,
        round=round_no,
    )


def overlap(a: RunResult, b: RunResult, k: int) -> float:
    """Mean share of ``a``'s top-``k`` chunks that ``b`` also returns in its top-``k`` (same chunking only)."""
    shares = [len(set(ids[:k]) & set(b.top_ids.get(qid, [])[:k])) / k for qid, ids in a.top_ids.items() if ids]
    return statistics.mean(shares) if shares else 0.0


def by_label(results: Sequence[RunResult]) -> dict[str, list[RunResult]]:
    """Runs grouped by system and backend, in run order."""
    groups: dict[str, list[RunResult]] = {}
    for r in results:
        groups.setdefault(r.label, []).append(r)
    return groups


def print_throughput(results: Sequence[RunResult]) -> dict[str, float]:
    """Every run, then each newsdesk backend's speed-up over the baseline (medians over rounds)."""
    header = (
        f"{'system':<20} {'round':>5} {'articles':>8} {'chunks':>7} {'wall s':>8} {'art/s':>7} {'chunks/s':>9}"
        f" {'cpu s':>8} {'peak RSS MB':>12} {'load s':>7} {'loadavg':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.label:<20} {r.round:>5} {r.articles:>8} {r.chunks:>7} {r.wall_s:>8.1f} {r.articles_per_s:>7.2f}"
            f" {r.chunks_per_s:>9.1f} {r.cpu_s:>8.1f} {r.peak_rss_mb:>12.0f} {r.load_s:>7.1f} {r.load_average:>8.2f}"
        )
    groups = by_label(results)
    if BASELINE not in groups:
        return {}
    base = groups[BASELINE]
    base_rate = statistics.median(r.articles_per_s for r in base)
    base_cpu = statistics.median(r.cpu_s / max(r.articles, 1) for r in base)
    base_rss = statistics.median(r.peak_rss_mb for r in base)
    ratios: dict[str, float] = {}
    print()
    for label, runs in groups.items():
        if label == BASELINE or not base_rate:
            continue
        ratio = statistics.median(r.articles_per_s for r in runs) / base_rate
        cpu_ratio = base_cpu / statistics.median(r.cpu_s / max(r.articles, 1) for r in runs)
        rss_ratio = statistics.median(r.peak_rss_mb for r in runs) / base_rss
        ratios[label] = ratio
        verdict = "PASS" if ratio >= TARGET_SPEEDUP else "FAIL"
        print(
            f"{label}: {ratio:.2f}x the baseline's articles/s (target >= {TARGET_SPEEDUP}x: {verdict}); "
            f"{cpu_ratio:.2f}x fewer CPU-seconds per article; {rss_ratio:.2f}x its peak RSS"
        )
    return ratios


def print_recall(results: Sequence[RunResult], n_questions: int) -> dict[str, Any]:
    """Answer-recall@k per system, and every faster backend against full precision."""
    firsts = [r for r in results if r.round == 1]  # retrieval is deterministic: round 1 holds it
    print(f"\nanswer-recall@k on {n_questions} development questions whose gold answer occurs in the ingested articles")
    print(f"{'system':<20} " + " ".join(f"{'recall@' + str(k):>10}" for k in RECALL_KS))
    for r in firsts:
        print(f"{r.label:<20} " + " ".join(f"{100 * r.recall.get(f'@{k}', 0):>9.1f}%" for k in RECALL_KS))
    full = next((r for r in firsts if r.system == NEWSDESK and r.backend == "torch"), None)
    verdicts: dict[str, Any] = {}
    if full is None:
        return verdicts
    for r in firsts:
        if r.system != NEWSDESK or r is full:
            continue
        per_k = {}
        for k in RECALL_KS:
            key = f"@{k}"
            diff = r.recall[key] - full.recall[key]
            ok = r.recall[key] >= full.recall[key] * (1 - RECALL_TOLERANCE)
            per_k[key] = {"diff_pp": 100 * diff, "pass": ok, "top_overlap": overlap(full, r, k)}
            print(
                f"{r.label} vs torch {key}: {100 * diff:+.1f} pp; {100 * per_k[key]['top_overlap']:.1f} % of torch's"
                f" top-{k} chunks also in its top-{k}; within {100 * RECALL_TOLERANCE:.0f} % of full precision:"
                f" {'PASS' if ok else 'FAIL'}"
            )
        verdicts[r.label] = per_k
    return verdicts


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dataset", type=Path, default=DEFAULT_DATASET, help="RealTime QA folder (default: %(default)s)"
    )
    parser.add_argument(
        "--articles", type=int, default=300, help="how many distinct development articles (default: %(default)s)"
    )
    parser.add_argument(
        "--backends", default="onnx-int8", help="newsdesk embedding backends, comma-separated (default: %(default)s)"
    )
    parser.add_argument(
        "--recall", action="store_true", help="also run the torch backend and compare answer-recall@5/@10"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of every run, interleaved; ratios use medians (default: 1)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the LangChain run (no ratio then)")
    parser.add_argument(
        "--model-cache", type=Path, help="keep the ONNX export here across runs (default: a temporary folder)"
    )
    parser.add_argument(
        "--profile", type=Path, help="cProfile every timed section into DIR/<run>.prof (slows the runs)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (data, corpus, results) and print its path"
    )
    parser.add_argument("--json", type=Path, dest="json_path", help="also write the results to this JSON file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def plan(args: argparse.Namespace) -> list[tuple[str, EmbedBackend]]:
    """(system, backend) pairs in run order: the baseline first, then each newsdesk backend."""
    # Not checked here: the child's IngestSettings rejects a backend it does not know.
    backends = cast("list[EmbedBackend]", [b.strip() for b in args.backends.split(",") if b.strip()])
    if args.recall and "torch" not in backends:
        backends.insert(0, "torch")
    runs: list[tuple[str, EmbedBackend]] = [] if args.no_baseline else [(BASELINE, "torch")]
    return runs + [(NEWSDESK, b) for b in backends]


def run_all(args: argparse.Namespace, corpus: Path, scratch: Path, questions: Sequence[Question]) -> list[RunResult]:
    """Warm the ONNX cache, then every planned run, ``--repeat`` rounds, each round in plan order."""
    model_cache = args.model_cache.resolve() if args.model_cache else scratch / "models"
    profile_dir = args.profile.resolve() if args.profile else None
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)
    runs = plan(args)
    for onnx_backend in sorted({b for s, b in runs if s == NEWSDESK and b != "torch"}):
        print(f"exporting the model for {onnx_backend} (once, untimed)", file=sys.stderr, flush=True)
        spawn(make_spec("warm", onnx_backend, corpus, scratch, model_cache), scratch)
    results: list[RunResult] = []
    total = len(runs) * args.repeat
    for round_no in range(1, args.repeat + 1):
        for system, backend in runs:
            print(f"[{len(results) + 1}/{total}] {system} {backend} ...", file=sys.stderr, flush=True)
            # Retrieval is deterministic, so only round 1 pays for it.
            asked = questions if round_no == 1 else ()
            spec = make_spec(system, backend, corpus, scratch, model_cache, asked, round_no, profile_dir)
            result = spawn(spec, scratch)
            assert result is not None
            results.append(result)
    return results


def write_json(
    path: Path,
    texts: Sequence[str],
    questions: Sequence[Question],
    results: Sequence[RunResult],
    ratios: dict[str, float],
    verdicts: dict[str, Any],
) -> None:
    """Everything printed, as one JSON document."""
    runs = [
        {
            **{k: v for k, v in asdict(r).items() if k != "top_ids"},
            "label": r.label,
            "articles_per_s": r.articles_per_s,
            "chunks_per_s": r.chunks_per_s,
        }
        for r in results
    ]
    document = {
        "articles": len(texts),
        "characters": sum(map(len, texts)),
        "recall_questions": len(questions),
        "runs": runs,
        "speedup_articles_per_s": ratios,
        "target_speedup": TARGET_SPEEDUP,
        "recall_vs_torch": verdicts,
    }
    path.write_text(json.dumps(document, indent=2) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Select the articles, run every system in its own process, print and save the comparison."""
    args = parse_args(argv)
    if args.child:
        child_main(args.child)
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    try:
        corpus = scratch / "bench_gcs.jsonl"
        lines = select_articles(args.dataset, args.articles)
        corpus.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
        texts = corpus_texts(corpus)
        questions = answerable(dev_questions(args.dataset), texts) if args.recall else []
        print(
            f"corpus: {len(texts)} articles, {sum(map(len, texts)):,} characters; {len(questions)} recall questions",
            file=sys.stderr,
            flush=True,
        )
        results = run_all(args, corpus, scratch, questions)

        print(f"\n{len(texts)} RealTime QA development articles, each run in its own process, model load untimed\n")
        ratios = print_throughput(results)
        verdicts = print_recall(results, len(questions)) if args.recall else {}
        if args.json_path:
            write_json(args.json_path, texts, questions, results, ratios, verdicts)
    finally:
        if args.keep:
            print(f"\nkept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
