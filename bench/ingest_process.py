"""Whole-process ingest: ``newsdesk ingest FILE --json`` against a plain LangChain script, each a fresh process.

What a user waits for is the wall time from starting the command to its exit: imports, model loading,
reading, chunking, embedding and writing all count. Both systems ingest the same RealTime QA development
articles (``bench/ingest_speed.py``'s selection, written once to a gcs-shaped JSONL file), each run into a
fresh data folder:

* ``langchain``: ``python bench/langchain_ingest.py CORPUS DIR`` (RecursiveCharacterTextSplitter 1000/100,
  HuggingFaceEmbeddings on the bundled all-MiniLM-L6-v2, Chroma.from_documents);
* ``newsdesk``: ``newsdesk ingest CORPUS --json`` with ``NEWSDESK_DATA_DIR`` a fresh folder;
* ``newsdesk@SRC`` (``--before SRC``, optional): the same command running another checkout's code (for
  example ``git archive main | tar -x -C SRC``), put first on ``PYTHONPATH``, for a before/after in one run.

The systems alternate within every round (the order rotates each round) and every round runs each once;
medians are taken over rounds, and each newsdesk system's articles/s is divided by the baseline's. The
machine's cores are shared, so the 1-minute load average at each run's start is printed beside it.

The user's cache (``XDG_CACHE_HOME``) is a folder of the benchmark's own: each checkout's newsdesk exports the
model to ONNX there on its first run, on a few articles and untimed (``first, export`` in the output), and later
runs reuse it, as they do for a user. ``--backend`` may be repeated (``--backend onnx-int8 --backend onnx``):
each backend is then a system of its own in the same alternation (``--before`` runs with the first one).

Run from the project root: ``.venv/bin/python bench/ingest_process.py [--repeat 3] [--json out.json]``.
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
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest_speed import DEFAULT_DATASET, TARGET_SPEEDUP, select_articles

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
BASELINE = "langchain"
NEWSDESK = "newsdesk"
WARM_UP_ARTICLES = 5


@dataclass
class ProcessRun:
    """One process: what it stored and what it cost."""

    system: str
    round: int
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    load_average: float
    articles: int
    chunks: int
    failed: int

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.wall_s if self.wall_s else 0.0


@dataclass(frozen=True)
class System:
    """How to start one system: a command and the environment it adds."""

    name: str
    argv: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()


def child_env(scratch: Path, extra: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    """Offline, no telemetry, none of the user's NEWSDESK_ settings, the benchmark's own user cache.

    ``PYTHONDONTWRITEBYTECODE`` is dropped: a user's Python caches compiled modules, and a run that compiled
    every module again would measure the compiler.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        TOKENIZERS_PARALLELISM="false",
        XDG_CACHE_HOME=str(scratch / "user-cache"),
    )
    env.update(dict(extra))
    return env


def run_once(system: System, corpus: Path, scratch: Path, round_no: int) -> ProcessRun:
    """Start the system's process on a fresh data folder, wait for it, and read what it printed."""
    work = scratch / f"{system.name.replace('@', '-at-').replace('/', '_')}-r{round_no}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    argv = [a.replace("{corpus}", str(corpus)).replace("{data}", str(work)) for a in system.argv]
    env = child_env(scratch, [(k, v.replace("{data}", str(work))) for k, v in system.env])
    load = os.getloadavg()[0]
    started = time.perf_counter()
    # cwd=scratch: newsdesk reads a .env from the working directory, and the user's must not leak in.
    process = subprocess.Popen(argv, cwd=scratch, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{system.name} exited with {process.returncode}: {out[-2000:].decode(errors='replace')}")
    document = json.loads(out)
    articles = int(document.get("articles", document.get("new", 0) + document.get("updated", 0)))
    return ProcessRun(
        system=system.name,
        round=round_no,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,
        load_average=load,
        articles=articles,
        chunks=int(document.get("chunks", 0)),
        failed=int(document.get("failed", 0)),
    )


def systems(args: argparse.Namespace) -> list[System]:
    """The baseline, newsdesk as installed, and optionally newsdesk running another checkout's code."""
    newsdesk = (str(BIN / "newsdesk"), "ingest", "{corpus}", "--json")
    data = ("NEWSDESK_DATA_DIR", "{data}")
    found = [System(BASELINE, (sys.executable, str(HERE / "langchain_ingest.py"), "{corpus}", "{data}/chroma"))]
    # Several backends in one invocation: each is a system of its own, alternated with the rest.
    for at, backend in enumerate(args.backend or [None]):
        env = (("NEWSDESK_EMBED_BACKEND", backend),) if backend else ()
        suffix = f"[{backend}]" if backend and len(args.backend) > 1 else ""
        found.append(System(f"{NEWSDESK}{suffix}", newsdesk, (data, *env)))
        # The other checkout runs with the first backend only: one before/after pair is what it is for.
        if args.before and at == 0:
            src = args.before.resolve()
            found.append(System(f"{NEWSDESK}@{src.name}{suffix}", newsdesk, (data, ("PYTHONPATH", str(src)), *env)))
    return found


def cpu_model() -> str:
    """The CPU's model name and whether it has the int8 instructions (VNNI, AMX) the int8 backend gains from."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "unknown CPU"
    name = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "?")
    flags = next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), [])
    extras = [f for f in ("avx512_vnni", "avx_vnni", "amx_int8") if f in flags]
    return f"{name} ({', '.join(extras) if extras else 'no VNNI'}), {os.cpu_count()} cores"


def median_rate(runs: Sequence[ProcessRun]) -> float:
    """Median articles/s of some runs."""
    return statistics.median(r.articles_per_s for r in runs)


def report(runs: Sequence[ProcessRun], first_runs: Sequence[ProcessRun]) -> dict[str, float]:
    """Every run, the medians, and each newsdesk system's ratio to the baseline."""
    header = (
        f"{'system':<28} {'round':>5} {'articles':>8} {'chunks':>6} {'wall s':>7} {'art/s':>6} {'cpu s':>7}"
        f" {'peak RSS MB':>11} {'loadavg':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in [*first_runs, *runs]:
        label = r.system if r.round else f"{r.system} (first, export)"
        print(
            f"{label:<28} {r.round or '-':>5} {r.articles:>8} {r.chunks:>6} {r.wall_s:>7.1f} {r.articles_per_s:>6.2f}"
            f" {r.cpu_s:>7.1f} {r.peak_rss_mb:>11.0f} {r.load_average:>7.2f}"
        )
    groups: dict[str, list[ProcessRun]] = {}
    for r in runs:
        groups.setdefault(r.system, []).append(r)
    print()
    for name, group in groups.items():
        print(
            f"{name:<28} median wall {statistics.median(r.wall_s for r in group):6.1f} s, "
            f"{median_rate(group):5.2f} articles/s, cpu {statistics.median(r.cpu_s for r in group):6.1f} s"
        )
    base = groups.get(BASELINE)
    ratios: dict[str, float] = {}
    if not base:
        return ratios
    print()
    base_cpu = statistics.median(r.cpu_s for r in base)
    for name, group in groups.items():
        if name == BASELINE:
            continue
        ratio = median_rate(group) / median_rate(base)
        # Per round: each newsdesk run against the baseline run beside it, so slow spells of the box cancel.
        paired = statistics.median(
            r.articles_per_s / b.articles_per_s for r, b in zip(group, base, strict=True) if b.articles_per_s
        )
        cpu_ratio = base_cpu / statistics.median(r.cpu_s for r in group)
        ratios[name] = ratio
        verdict = "PASS" if ratio >= TARGET_SPEEDUP else "FAIL"
        print(
            f"{name}: {ratio:.2f}x the baseline's articles/s (median of per-round ratios {paired:.2f}x; "
            f"target >= {TARGET_SPEEDUP}x: {verdict}); {cpu_ratio:.2f}x fewer CPU-seconds"
        )
    return ratios


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET, help="RealTime QA folder")
    parser.add_argument("--articles", type=int, default=150, help="distinct development articles (default: 150)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; every system runs once a round (default: 3)")
    parser.add_argument(
        "--backend",
        action="append",
        help="NEWSDESK_EMBED_BACKEND for newsdesk (default: newsdesk's default); repeat it to run each, alternated",
    )
    parser.add_argument("--before", type=Path, help="also run newsdesk from this checkout's code (PYTHONPATH)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--json", type=Path, dest="json_path", help="also write the runs and ratios here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Select the articles, run the systems alternately, print runs, medians and ratios."""
    args = parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="newsdesk-process-bench-"))
    try:
        corpus = scratch / "bench_gcs.jsonl"
        lines = select_articles(args.dataset, args.articles)
        corpus.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
        chosen = systems(args)
        # The first run of each checkout's code exports the model into the (empty) user cache: shown, never in a
        # median, and on a few articles only (the export is what it is there for).
        warm_up = scratch / "warm_up_gcs.jsonl"
        warm_up.write_text("".join(json.dumps(line) + "\n" for line in lines[:WARM_UP_ARTICLES]), encoding="utf-8")
        first: list[ProcessRun] = []
        code_seen: set[str] = set()
        for system in chosen:
            code = dict(system.env).get("PYTHONPATH", "")
            if system.name.startswith(NEWSDESK) and code not in code_seen:
                code_seen.add(code)
                first.append(run_once(system, warm_up, scratch, 0))
                print(f"first run of {system.name} (exports the model): {first[-1].wall_s:.1f} s", file=sys.stderr)
        runs: list[ProcessRun] = []
        for round_no in range(1, args.repeat + 1):
            shift = (round_no - 1) % len(chosen)
            for system in chosen[shift:] + chosen[:shift]:
                run = run_once(system, corpus, scratch, round_no)
                print(
                    f"round {round_no}: {system.name} {run.wall_s:.1f} s, {run.cpu_s:.1f} CPU-s, {run.chunks} chunks,"
                    f" load {run.load_average:.2f}",
                    file=sys.stderr,
                    flush=True,
                )
                runs.append(run)
        runs.sort(key=lambda r: (r.system != BASELINE, r.system, r.round))
        print(
            f"\n{args.articles} RealTime QA development articles, whole processes, alternated, {args.repeat} rounds;"
            f" {cpu_model()}\n"
        )
        ratios = report(runs, first)
        if args.json_path:
            document = {
                "articles": args.articles,
                "runs": [{**asdict(r), "articles_per_s": r.articles_per_s} for r in [*first, *runs]],
                "speedup_articles_per_s": ratios,
                "target_speedup": TARGET_SPEEDUP,
                "cpu_count": os.cpu_count(),
                "cpu": cpu_model(),
                "children_rusage_s": resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime,
            }
            args.json_path.write_text(json.dumps(document, indent=2) + "\n")
    finally:
        if args.keep:
            print(f"kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
