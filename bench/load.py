"""Mixed load on one ``newsdesk serve``: concurrent clients asking, searching and ingesting for minutes.

The issue's criteria: no request fails (any non-2xx answer or transport error is a failure) and the
server's resident memory grows by less than 10 % from the end of the warm-up to the end of the run.

**Archive.** ``--articles`` (800) distinct articles of the RealTime QA development split (``*_gcs.jsonl``
of 2025, distinct by canonical URL and text as ``bench/ingest_speed.py`` selects them), taken round-robin over
the development questions' search results as ``bench/ask.py`` does, so every question has articles to be
answered from. They are written to ``bench/results/load/archive-N_gcs.jsonl`` and ingested once with
``newsdesk ingest`` into ``bench/results/load/archive-N`` (cached, keyed by the file's hash; ``--rebuild``
starts over). Every run serves a fresh copy of it, because the run's own ingests change the archive.
The other distinct development articles (about 690) are the pool of *new* articles: never in the archive.

**Server.** One real ``newsdesk serve`` subprocess on 127.0.0.1 at a free port, over that copy, with
``NEWSDESK_API_KEYS`` set by this script and the settings given with ``--server-setting`` (no other
``NEWSDESK_*`` variable from the caller, no ``.env``: it runs in ``bench/results/load/``), started before
the clock and stopped by its PID (SIGTERM) after it.

**Load.** ``--clients`` (16) closed-loop clients (asyncio tasks sharing one httpx connection pool, one
connection each) send their next request as soon as the previous one is answered, for ``--duration``
(300) seconds:

* ingest, a steady trickle whatever the throughput: one ``POST /v1/articles`` (with the API key) every
  ``--ingest-every`` (2) seconds, taken by whichever client is free first; every ``--reingest-every``-th
  (5th) one re-sends an archive article unchanged (expected ``unchanged``), the others send a new article
  from the pool (expected ``created``);
* otherwise ``GET /v1/search`` with probability ``--search-share`` (0.3): alternately a development
  question (``as_of`` its quiz date) and the headline of an archive article;
* otherwise ``POST /v1/ask``: the development questions (``*_qa.jsonl`` of 2025) as of their quiz dates,
  in bench/serve.py's shuffled order, shared round-robin by the clients.

**Memory.** The server's RSS (psutil on its PID, children excluded: it has none) is sampled every
``--sample-every`` (2) seconds. The warm-up is the first ``--warmup`` (60) seconds of load (time, not a
request count; a third of the run when the run is shorter than twice that). "after warm-up" is the
median of the samples in the ``--rss-window`` (15) seconds after the warm-up, "end" the median of the
samples in the last ``--rss-window`` seconds of load: medians of a window rather than single samples, so
one request's transient buffers do not decide the verdict. Growth = end / after warm-up - 1.

Run from the project root: ``.venv/bin/python bench/load.py [--duration 300] [--clients 16] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# ask and serve are sibling benchmarks (a bench runs with bench/ on sys.path), reused rather than
# copied: the article selection and round-robin corpus of bench/ask.py, serve's environment.
import ask as _ask_bench
import httpx
import psutil
from launcher import LaunchError, answers, free_port, launch
from rich.console import Console
from rich.table import Table
from serve import bench_env

HERE = Path(__file__).resolve().parent

select_articles, DEFAULT_DATASET = _ask_bench.select_articles, _ask_bench.DEFAULT_DATASET
round_robin, write_corpus = _ask_bench.round_robin, _ask_bench.write_corpus
dev_questions, percentile = _ask_bench.dev_questions, _ask_bench.percentile

WORK = HERE / "results" / "load"
NEWSDESK = Path(sys.executable).parent / "newsdesk"
API_KEY = "bench-load-key"  # a key of this run's server only, set through NEWSDESK_API_KEYS
MAX_RSS_GROWTH = 0.10  # the limit: less than 10 % growth after warm-up
OPS = ("ask", "search", "ingest")


# ----- the data ----------------------------------------------------------------------------------


@dataclass
class Workload:
    """What the clients send: questions, search queries, new and already-stored articles."""

    questions: list[dict[str, str]]  # {"question", "as_of"}
    searches: list[dict[str, str]]  # GET /v1/search query parameters
    new_articles: list[dict[str, Any]]  # not in the archive: expected "created"
    stored_articles: list[dict[str, Any]]  # exactly as in the archive: expected "unchanged"


def prepare_corpus(articles: int) -> tuple[Path, str, Workload]:
    """The archive's corpus file (and its fingerprint) and the workload around it."""
    WORK.mkdir(parents=True, exist_ok=True)
    distinct = select_articles(DEFAULT_DATASET, 10**9)
    lines = round_robin(distinct, articles)
    corpus = WORK / f"archive-{articles}_gcs.jsonl"
    fingerprint = write_corpus(corpus, lines)
    stored = [r for line in lines for r in line["search_result"]]
    in_archive = {r["url"] for r in stored}  # select_articles made URLs (and texts) distinct
    new = [r for line in distinct for r in line["search_result"] if r["url"] not in in_archive]
    random.Random(11).shuffle(new)
    questions = dev_questions()
    # Searches alternate a question (as of its date) with a stored headline (a reader looking for a story).
    headlines = [{"q": r["title"]} for r in random.Random(13).sample(stored, len(stored))]
    asked = [{"q": q["question"], "as_of": q["as_of"]} for q in reversed(questions)]
    searches = [s for pair in zip(asked, headlines, strict=False) for s in pair]
    return corpus, fingerprint, Workload(questions, searches, new, stored)


def build_archive(corpus: Path, fingerprint: str, rebuild: bool) -> tuple[Path, dict[str, Any]]:
    """Ingest the corpus once with ``newsdesk ingest``; later runs reuse it while the corpus is the same."""
    archive = corpus.with_name(corpus.name.removesuffix("_gcs.jsonl"))
    marker = archive.with_suffix(".json")
    if marker.exists() and archive.exists() and not rebuild:
        info = json.loads(marker.read_text())
        if info.get("corpus") == fingerprint:
            print(
                f"reusing the archive in {archive} ({info['articles']} articles, {info['chunks']} chunks)", flush=True
            )
            return archive, info | {"reused": True}
    shutil.rmtree(archive, ignore_errors=True)
    marker.unlink(missing_ok=True)
    archive.mkdir(parents=True)
    print(f"ingesting {corpus.name} into {archive} (once) ...", flush=True)
    started = time.perf_counter()
    env = server_env(archive)
    run = subprocess.run(
        [str(NEWSDESK), "ingest", str(corpus), "--json"], env=env, cwd=WORK, capture_output=True, text=True
    )
    if run.returncode not in (0, 1):  # 1: some items failed (reported below), the rest are stored
        raise SystemExit(f"newsdesk ingest failed ({run.returncode}):\n{run.stderr[-3000:]}")
    summary = json.loads(run.stdout)
    stats = subprocess.run(
        [str(NEWSDESK), "stats", "--json"], env=env, cwd=WORK, capture_output=True, text=True, check=True
    )
    counts = json.loads(stats.stdout)
    info = {
        "corpus": fingerprint,
        "articles": counts["articles"],
        "chunks": counts["chunks"],
        "failed": summary.get("failed", 0),
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    marker.write_text(json.dumps(info, indent=2))
    return archive, info | {"reused": False}


def server_env(data_dir: Path) -> dict[str, str]:
    """bench/serve.py's clean environment, plus this run's API key and one shared model cache."""
    return bench_env(data_dir) | {"NEWSDESK_API_KEYS": API_KEY, "NEWSDESK_MODEL_CACHE": str(WORK / "models")}


# ----- the server --------------------------------------------------------------------------------


class Server:
    """``newsdesk serve`` as a subprocess on a free loopback port, stopped by its PID."""

    def __init__(self, data_dir: Path, log_path: Path, settings: dict[str, str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        try:
            # Ready once /healthz says so (the runtime is warm), not merely once it answers.
            self.launched = launch(
                [str(NEWSDESK), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
                ready=answers(f"{self.url}/healthz", accept=lambda response: bool(response.json().get("ready"))),
                timeout=600,
                log_path=log_path,
                env=server_env(data_dir) | settings,
                cwd=WORK,
                name="newsdesk serve",
            )
        except LaunchError as error:
            raise SystemExit(str(error)) from None
        self.process = self.launched.process
        self.ps = psutil.Process(self.launched.pid)
        self.startup_seconds = round(time.monotonic() - self.launched.started, 1)

    def store_counts(self) -> dict[str, Any]:
        """Articles and chunks as ``/healthz`` reports them."""
        return dict(httpx.get(f"{self.url}/healthz", timeout=30, trust_env=False).json().get("store", {}))

    def rss_mb(self) -> float:
        return self.ps.memory_info().rss / 2**20

    def cpu_seconds(self) -> float:
        times = self.ps.cpu_times()
        return times.user + times.system

    def stop(self) -> int | None:
        """SIGTERM to our server's PID (SIGKILL after 60 s); its exit code."""
        return self.launched.stop(timeout=60)


# ----- the load ----------------------------------------------------------------------------------


@dataclass
class OpStats:
    """One operation's outcomes: latencies of the successful requests, failures by kind, answer kinds."""

    latencies_s: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)  # e.g. answered / abstained, new: created


@dataclass
class Request:
    """One request to send and what a successful answer should be called in ``outcomes``."""

    op: str
    method: str
    path: str
    kwargs: dict[str, Any]
    label: Any  # (response JSON) -> outcome label


class Plan:
    """Decides every client's next request: ingests on a fixed clock, then searches and asks at random.

    All clients share one event loop, so the counters below need no lock (no await between a read
    and its update).
    """

    def __init__(self, workload: Workload, args: argparse.Namespace, started: float):
        self.w = workload
        self.search_share = args.search_share
        self.ingest_every = args.ingest_every
        self.reingest_every = args.reingest_every
        self.next_ingest_at = started + args.ingest_every
        self.asked = self.searched = self.ingested = self.new_taken = self.stored_taken = 0
        self.pool_exhausted = False

    def next(self, rng: random.Random) -> Request:
        if self.ingest_every > 0 and time.monotonic() >= self.next_ingest_at:
            self.next_ingest_at += self.ingest_every
            return self._ingest()
        if rng.random() < self.search_share:
            params = self.w.searches[self.searched % len(self.w.searches)]
            self.searched += 1
            return Request(
                "search",
                "GET",
                "/v1/search",
                {"params": params},
                lambda body: "passages" if body["results"] else "no passages",
            )
        question = self.w.questions[self.asked % len(self.w.questions)]
        self.asked += 1
        return Request(
            "ask", "POST", "/v1/ask", {"json": question}, lambda body: "answered" if body["answered"] else "abstained"
        )

    def _ingest(self) -> Request:
        self.ingested += 1
        reingest = self.reingest_every > 0 and self.ingested % self.reingest_every == 0
        if not reingest and self.new_taken >= len(self.w.new_articles):
            self.pool_exhausted, reingest = True, True  # a very long run: no unseen article left
        if reingest:
            article, kind = self.w.stored_articles[self.stored_taken % len(self.w.stored_articles)], "re-ingest"
            self.stored_taken += 1
        else:
            article, kind = self.w.new_articles[self.new_taken], "new"
            self.new_taken += 1
        return Request(
            "ingest",
            "POST",
            "/v1/articles",
            {"json": article, "headers": {"X-API-Key": API_KEY}},
            lambda body: f"{kind}: {body['status']}",
        )


def describe_failure(response: httpx.Response) -> str:
    """A failed answer as ``STATUS code: message`` (the API's error body), short enough to group by."""
    try:
        error = response.json()["error"]
        return f"{response.status_code} {error['code']}: {str(error['message'])[:160]}"
    except (ValueError, KeyError, TypeError):
        return f"{response.status_code}: {response.text[:160]}"


async def client(
    http: httpx.AsyncClient, plan: Plan, stats: dict[str, OpStats], rng: random.Random, deadline: float
) -> None:
    """Closed loop: the next request goes out when the previous one is answered, until the deadline."""
    while time.monotonic() < deadline:
        request = plan.next(rng)
        started = time.perf_counter()
        try:
            response = await http.request(request.method, request.path, **request.kwargs)
            elapsed = time.perf_counter() - started
            if response.is_success:
                label = request.label(response.json())
                stats[request.op].latencies_s.append(elapsed)
                stats[request.op].outcomes[label] += 1
            else:
                stats[request.op].errors[describe_failure(response)] += 1
        except httpx.HTTPError as exc:
            stats[request.op].errors[f"{type(exc).__name__}: {str(exc)[:160]}"] += 1
        except (ValueError, KeyError, TypeError) as exc:  # a 2xx whose body is not what the contract says
            stats[request.op].errors[f"bad 2xx body: {type(exc).__name__}: {str(exc)[:160]}"] += 1


async def sample(
    server: Server, started: float, every: float, samples: list[dict[str, float]], stop: asyncio.Event
) -> None:
    """The server's RSS and CPU seconds every ``every`` seconds of load (``t`` from the start)."""
    while not stop.is_set():
        samples.append(
            {
                "t": round(time.monotonic() - started, 1),
                "rss_mb": round(server.rss_mb(), 1),
                "cpu_s": round(server.cpu_seconds(), 1),
            }
        )
        try:
            await asyncio.wait_for(stop.wait(), timeout=every)
        except TimeoutError:
            pass


async def drive(server: Server, workload: Workload, args: argparse.Namespace) -> dict[str, Any]:
    """Run the clients for the duration; the raw figures."""
    stats = {op: OpStats() for op in OPS}
    samples: list[dict[str, float]] = []
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=server.url, timeout=args.timeout, limits=limits, trust_env=False) as http:
        started = time.monotonic()
        plan = Plan(workload, args, started)
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample(server, started, args.sample_every, samples, stop))
        deadline = started + args.duration
        await asyncio.gather(*(client(http, plan, stats, random.Random(n), deadline) for n in range(args.clients)))
        wall = time.monotonic() - started
        stop.set()
        await sampler
    return {"stats": stats, "samples": samples, "wall_s": wall, "plan": plan}


# ----- the report --------------------------------------------------------------------------------


def op_summary(s: OpStats, wall: float) -> dict[str, Any]:
    """Count, failures, latency percentiles (successful requests) and throughput of one operation."""
    ms = [x * 1000 for x in s.latencies_s]
    return {
        "count": len(ms) + sum(s.errors.values()),
        "ok": len(ms),
        "errors": sum(s.errors.values()),
        "error_kinds": dict(s.errors.most_common()),
        "outcomes": dict(sorted(s.outcomes.items())),
        "latency_ms": {
            "p50": round(percentile(ms, 50), 1) if ms else None,
            "p95": round(percentile(ms, 95), 1) if ms else None,
            "max": round(max(ms), 1) if ms else None,
            "mean": round(statistics.fmean(ms), 1) if ms else None,
        },
        "ok_per_s": round(len(ms) / wall, 2),
    }


def memory_summary(
    samples: list[dict[str, float]], warmup: float, window: float, wall: float, idle_mb: float
) -> dict[str, Any]:
    """RSS after warm-up and at the end (medians of windows), peak, idle after the load, growth."""
    after = [s["rss_mb"] for s in samples if warmup <= s["t"] < warmup + window]
    end = [s["rss_mb"] for s in samples if s["t"] >= wall - window]
    base, last = statistics.median(after or [samples[-1]["rss_mb"]]), statistics.median(end or [samples[-1]["rss_mb"]])
    return {
        "start_mb": samples[0]["rss_mb"],
        "after_warmup_mb": round(base, 1),
        "end_mb": round(last, 1),
        "peak_mb": max(s["rss_mb"] for s in samples),
        "idle_after_load_mb": round(idle_mb, 1),
        "growth_pct": round((last / base - 1) * 100, 2),
        "warmup_s": warmup,
        "window_s": window,
        "samples": len(samples),
    }


def print_report(report: dict[str, Any], console: Console) -> None:
    """The figures as tables, then the verdict."""
    table = Table(
        title=f"{report['clients']} clients, {report['duration_s']:.0f} s of load on one newsdesk serve "
        f"({report['archive']['articles_start']} → {report['archive']['articles_end']} articles)"
        + "".join(f", {name}={value}" for name, value in report["server"]["settings"].items())
    )
    for column in ("op", "count", "errors", "ok/s", "p50 ms", "p95 ms", "max ms", "outcomes"):
        table.add_column(column, justify="left" if column in ("op", "outcomes") else "right")
    for op, s in report["ops"].items():
        lat = s["latency_ms"]
        table.add_row(
            op,
            str(s["count"]),
            str(s["errors"]),
            f"{s['ok_per_s']:.2f}",
            *(f"{lat[k]:.0f}" if lat[k] is not None else "-" for k in ("p50", "p95", "max")),
            ", ".join(f"{k} {v}" for k, v in s["outcomes"].items()),
        )
    total = report["total"]
    table.add_row(
        "all", str(total["count"]), str(total["errors"]), f"{total['ok_per_s']:.2f}", "", "", "", "", style="bold"
    )
    console.print(table)

    mem = report["server_rss_mb"]
    rss = Table(
        title=f"server RSS (MB), sampled every {report['sample_every_s']:g} s; "
        f"warm-up = first {mem['warmup_s']:g} s of load"
    )
    for column in (
        "at start",
        f"after warm-up (median {mem['window_s']:g} s)",
        f"end (median last {mem['window_s']:g} s)",
        "peak",
        "idle after",
        "growth",
    ):
        rss.add_column(column, justify="right")
    rss.add_row(
        *(f"{mem[k]:.0f}" for k in ("start_mb", "after_warmup_mb", "end_mb", "peak_mb", "idle_after_load_mb")),
        f"{mem['growth_pct']:+.1f} %",
    )
    console.print(rss)

    cpu = report["server_cpu"]
    console.print(
        f"server CPU: {cpu['seconds']:.0f} s over {report['duration_s']:.0f} s ({cpu['cores_busy']:.2f} cores busy); "
        f"load generator CPU {report['client_cpu_s']:.0f} s; load average (1, 5, 15 min) at start "
        f"{report['loadavg']['start']}, at end {report['loadavg']['end']}"
    )
    for op, s in report["ops"].items():
        for kind, n in s["error_kinds"].items():
            console.print(f"[red]{op} failed {n}x[/red]: {kind}")
    if report["server_log_problems"]:
        console.print(
            f"[yellow]server log {report['server_log']}: {report['server_log_problems']} ERROR/Traceback lines[/yellow]"
        )
    if report["pool_exhausted"]:
        console.print("[yellow]the pool of new articles ran out: later ingests were re-ingests[/yellow]")
    for name, passed, detail in report["verdict"]["checks"]:
        console.print(f"{'[green]PASS' if passed else '[red]FAIL'}[/]  {name}: {detail}")


def server_log_problems(path: Path) -> int:
    """Lines of the server's log that report an error or a traceback."""
    text = path.read_text(errors="replace") if path.exists() else ""
    return sum(1 for line in text.splitlines() if "Traceback" in line or " ERROR" in line or line.startswith("ERROR"))


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Prepare the archive, serve a copy of it, drive the load, stop the server; the report."""
    corpus, fingerprint, workload = prepare_corpus(args.articles)
    archive, archive_info = build_archive(corpus, fingerprint, args.rebuild)
    data_dir = WORK / "run-data"  # the run's ingests land here, never in the cached archive
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(archive, data_dir)
    # A short smoke run keeps a proportionate warm-up, so both RSS windows still fall inside the load.
    warmup = args.warmup if args.duration >= 2 * args.warmup else args.duration / 3
    window = min(args.rss_window, (args.duration - warmup) / 2)

    print(f"starting newsdesk serve over a copy of {archive.name} ...", flush=True)
    server = Server(data_dir, WORK / "server.log", args.server_setting)
    try:
        counts_start = server.store_counts()
        print(
            f"serving on {server.url} (PID {server.process.pid}, ready in {server.startup_seconds} s); "
            f"{args.clients} clients for {args.duration:g} s ...",
            flush=True,
        )
        loadavg_start = [round(x, 2) for x in os.getloadavg()]
        cpu_start, client_cpu_start = server.cpu_seconds(), _own_cpu()
        raw = asyncio.run(drive(server, workload, args))
        loadavg_end = [round(x, 2) for x in os.getloadavg()]
        server_cpu = server.cpu_seconds() - cpu_start
        client_cpu = _own_cpu() - client_cpu_start
        time.sleep(3)  # in-flight work (a lexical rebuild) settles before the idle sample
        idle_mb = server.rss_mb()
        counts_end = server.store_counts()
    finally:
        exit_code = server.stop()
    if not args.keep_data:
        shutil.rmtree(data_dir, ignore_errors=True)

    wall, plan = raw["wall_s"], raw["plan"]
    ops = {op: op_summary(raw["stats"][op], wall) for op in OPS}
    errors = sum(s["errors"] for s in ops.values())
    memory = memory_summary(raw["samples"], warmup, window, wall, idle_mb)
    checks = [
        ("no errors", errors == 0, f"{errors} failed requests of {sum(s['count'] for s in ops.values())}"),
        (
            "RSS growth < 10 %",
            memory["growth_pct"] < MAX_RSS_GROWTH * 100,
            f"{memory['after_warmup_mb']:.0f} MB after warm-up → {memory['end_mb']:.0f} MB at the end "
            f"({memory['growth_pct']:+.1f} %)",
        ),
    ]
    return {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "clients": args.clients,
        "duration_s": round(wall, 1),
        "archive": archive_info
        | {
            "path": str(archive),
            "articles_start": counts_start.get("articles"),
            "chunks_start": counts_start.get("chunks"),
            "articles_end": counts_end.get("articles"),
            "chunks_end": counts_end.get("chunks"),
        },
        "server": {
            "pid": server.process.pid,
            "startup_seconds": server.startup_seconds,
            "exit_code_after_sigterm": exit_code,
            "settings": args.server_setting,
        },
        "mix": {
            "search_share": args.search_share,
            "ingest_every_s": args.ingest_every,
            "reingest_every": args.reingest_every,
            "new_articles_sent": plan.new_taken,
            "reingests_sent": plan.stored_taken,
            "timeout_s": args.timeout,
        },
        "ops": ops,
        "total": {
            "count": sum(s["count"] for s in ops.values()),
            "errors": errors,
            "ok_per_s": round(sum(s["ok"] for s in ops.values()) / wall, 2),
        },
        "server_rss_mb": memory,
        "sample_every_s": args.sample_every,
        "server_cpu": {"seconds": round(server_cpu, 1), "cores_busy": round(server_cpu / wall, 2)},
        "client_cpu_s": round(client_cpu, 1),
        "loadavg": {"start": loadavg_start, "end": loadavg_end},
        "server_log": str(WORK / "server.log"),
        "server_log_problems": server_log_problems(WORK / "server.log"),
        "pool_exhausted": plan.pool_exhausted,
        "verdict": {"passed": all(passed for _, passed, _ in checks), "checks": checks},
        "rss_samples": raw["samples"],
    }


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of load (default 300)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent closed-loop clients (default 16)")
    parser.add_argument("--articles", type=int, default=800, help="articles in the prepared archive (default 800)")
    parser.add_argument(
        "--ingest-every", type=float, default=2.0, help="seconds between ingests, whatever the throughput (0: none)"
    )
    parser.add_argument(
        "--reingest-every", type=int, default=5, help="every Nth ingest re-sends a stored article unchanged (0: never)"
    )
    parser.add_argument(
        "--search-share", type=float, default=0.3, help="share of searches among the other requests (the rest: asks)"
    )
    parser.add_argument(
        "--warmup", type=float, default=60.0, help="seconds of load before the 'after warm-up' RSS window"
    )
    parser.add_argument(
        "--rss-window", type=float, default=15.0, help="seconds of samples whose median is an RSS reading"
    )
    parser.add_argument("--sample-every", type=float, default=2.0, help="seconds between RSS samples")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="client timeout per request, seconds (a timeout is an error)"
    )
    parser.add_argument("--rebuild", action="store_true", help="ingest the archive again")
    parser.add_argument(
        "--keep-data", action="store_true", help="keep the run's copy of the archive (bench/results/load/run-data)"
    )
    parser.add_argument(
        "--server-setting",
        type=server_setting,
        action="append",
        default=[],
        metavar="NEWSDESK_NAME=VALUE",
        help="a setting for the served process only, e.g. NEWSDESK_EMBED_QUERY_SLOTS=1 (repeatable)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the report here")
    args = parser.parse_args(argv)
    args.server_setting = dict(args.server_setting)
    return args


def server_setting(text: str) -> tuple[str, str]:
    """``NEWSDESK_NAME=VALUE`` as a pair; anything else is refused by the argument parser."""
    name, sep, value = text.partition("=")
    if not sep or not name.startswith("NEWSDESK_"):
        raise argparse.ArgumentTypeError(f"expected NEWSDESK_NAME=VALUE, got {text!r}")
    return name, value


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    report = run(args)
    text = json.dumps(report, indent=2)
    (WORK / "last.json").write_text(text)
    if args.json:
        args.json.write_text(text)
    print_report(report, Console())
    print(f"report: {WORK / 'last.json'}" + (f" and {args.json}" if args.json else ""))
    return 0 if report["verdict"]["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
