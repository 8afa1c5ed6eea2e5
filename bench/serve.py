"""HTTP serving under load: 8 concurrent clients asking ``POST /v1/ask`` for 60 s.

The archive is the RealTime QA development split: every ``*_gcs.jsonl`` file of
``../shared/datasets/realtimeqa_2025-09_to_2026-04/past/2025/`` (about 1,800 distinct articles),
ingested once with ``newsdesk ingest`` into ``bench/results/serve/data`` and reused by later runs
(``--rebuild`` starts over). The questions are the development questions (``*_qa.jsonl`` of 2025),
each asked as of its own quiz date, in a fixed shuffled order shared round-robin by the clients.

The server is a real ``newsdesk serve`` subprocess on 127.0.0.1 (one process, the runtime loaded
once); each client is a thread with its own keep-alive connection that sends its next question as
soon as the previous answer arrives (closed loop). Reported: requests/s, latency p50/p95/p99/max,
errors (any non-200 or transport error; must be 0), answered vs abstained, and the server's RSS
after start-up (before load), at its peak during the run and after it.

Run from the project root: ``.venv/bin/python bench/serve.py [--duration 60] [--clients 8] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
from launcher import LaunchError, answers, free_port, launch, offline_env

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
DATASET = PROJECT.parent / "shared" / "datasets" / "realtimeqa_2025-09_to_2026-04" / "past" / "2025"
WORK = HERE / "results" / "serve"
NEWSDESK = Path(sys.executable).parent / "newsdesk"
MIN_ARTICLES = 1000


def bench_env(data_dir: Path) -> dict[str, str]:
    """The caller's environment without NEWSDESK_* settings, offline, over ``data_dir``."""
    return offline_env(NEWSDESK_DATA_DIR=str(data_dir))


def dev_questions() -> list[dict[str, str]]:
    """Development questions with their quiz dates."""
    questions = []
    for path in sorted(DATASET.glob("*_qa.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                questions.append({"question": row["question_sentence"], "as_of": row["question_date"]})
    random.Random(7).shuffle(questions)
    return questions


def build_archive(data_dir: Path, rebuild: bool) -> dict[str, Any]:
    """Ingest the development articles once; later runs reuse the archive."""
    marker = data_dir / "bench-archive.json"
    if marker.exists() and not rebuild:
        info = json.loads(marker.read_text())
        if info.get("articles", 0) >= MIN_ARTICLES:
            print(f"reusing the archive in {data_dir} ({info['articles']} articles)", flush=True)
            return info | {"reused": True}
    if data_dir.exists():
        import shutil

        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    files = sorted(str(p) for p in DATASET.glob("*_gcs.jsonl"))
    print(f"ingesting {len(files)} files into {data_dir} (once) ...", flush=True)
    started = time.perf_counter()
    run = subprocess.run(
        [str(NEWSDESK), "ingest", *files, "--json"], env=bench_env(data_dir), capture_output=True, text=True
    )
    if run.returncode not in (0, 1):  # 1: some items failed (reported), the rest are stored
        raise SystemExit(f"newsdesk ingest failed ({run.returncode}):\n{run.stderr[-3000:]}")
    summary = json.loads(run.stdout)
    stats = subprocess.run(
        [str(NEWSDESK), "stats", "--json"], env=bench_env(data_dir), capture_output=True, text=True, check=True
    )
    counts = json.loads(stats.stdout)
    info = {
        "articles": counts["articles"],
        "chunks": counts["chunks"],
        "ingest_seconds": round(time.perf_counter() - started, 1),
        "ingest_failed": summary.get("failed", 0),
        "files": len(files),
    }
    if info["articles"] < MIN_ARTICLES:
        raise SystemExit(f"only {info['articles']} articles were stored; the benchmark needs {MIN_ARTICLES}")
    marker.write_text(json.dumps(info, indent=2))
    return info | {"reused": False}


class Server:
    """``newsdesk serve`` as a subprocess on a free loopback port, stopped by its PID."""

    def __init__(self, data_dir: Path, log_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        try:
            self.launched = launch(
                [str(NEWSDESK), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
                ready=answers(f"{self.url}/healthz"),
                timeout=600,
                log_path=log_path,
                env=bench_env(data_dir),
                name="newsdesk serve",
            )
        except LaunchError as error:
            raise SystemExit(str(error)) from None
        self.startup_seconds = round(time.monotonic() - self.launched.started, 1)
        self.ps = psutil.Process(self.launched.pid)

    def rss_mb(self) -> float:
        return round(self.ps.memory_info().rss / 2**20, 1)

    def stop(self) -> int:
        return self.launched.stop(timeout=60)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    answered: int = 0
    abstained: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def client_loop(
    url: str,
    questions: list[dict[str, str]],
    cursor: list[int],
    deadline: float,
    tally: Tally,
    cursor_lock: threading.Lock,
) -> None:
    with httpx.Client(base_url=url, timeout=120, trust_env=False) as client:
        while time.monotonic() < deadline:
            with cursor_lock:
                body = questions[cursor[0] % len(questions)]
                cursor[0] += 1
            started = time.perf_counter()
            try:
                response = client.post("/v1/ask", json=body)
                elapsed = time.perf_counter() - started
                ok = response.status_code == 200
                answered = ok and bool(response.json().get("answered"))
                problem = None if ok else f"{response.status_code}: {response.text[:200]}"
            except (httpx.HTTPError, ValueError) as exc:
                elapsed, ok, answered, problem = (
                    time.perf_counter() - started,
                    False,
                    False,
                    f"{type(exc).__name__}: {exc}",
                )
            with tally.lock:
                if ok:
                    tally.latencies.append(elapsed)
                    if answered:
                        tally.answered += 1
                    else:
                        tally.abstained += 1
                else:
                    tally.errors.append(problem or "error")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    at = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[at]


def run(args: argparse.Namespace) -> dict[str, Any]:
    WORK.mkdir(parents=True, exist_ok=True)
    data_dir = args.data_dir or WORK / "data"
    archive = build_archive(data_dir, args.rebuild)
    questions = dev_questions()
    server = Server(data_dir, WORK / "server.log")
    try:
        with httpx.Client(base_url=server.url, timeout=120, trust_env=False) as warm:
            for body in questions[-args.warmup :] if args.warmup else []:
                warm.post("/v1/ask", json=body).raise_for_status()
        rss_before = server.rss_mb()
        tally = Tally()
        cursor, cursor_lock = [0], threading.Lock()
        peak = [rss_before]
        stop_sampling = threading.Event()

        def sample() -> None:
            while not stop_sampling.wait(0.5):
                peak[0] = max(peak[0], server.rss_mb())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.monotonic()
        deadline = started + args.duration
        threads = [
            threading.Thread(target=client_loop, args=(server.url, questions, cursor, deadline, tally, cursor_lock))
            for _ in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - started
        stop_sampling.set()
        sampler.join()
        rss_after = server.rss_mb()
    finally:
        exit_code = server.stop()
    ms = [x * 1000 for x in tally.latencies]
    done = len(ms)
    return {
        "archive": archive,
        "server": {"startup_seconds": server.startup_seconds, "exit_code_after_sigterm": exit_code},
        "clients": args.clients,
        "duration_s": round(wall, 1),
        "requests": done + len(tally.errors),
        "requests_per_s": round(done / wall, 2),
        "latency_ms": {
            "p50": round(percentile(ms, 50), 1),
            "p95": round(percentile(ms, 95), 1),
            "p99": round(percentile(ms, 99), 1),
            "max": round(max(ms), 1) if ms else None,
            "mean": round(statistics.fmean(ms), 1) if ms else None,
        },
        "errors": len(tally.errors),
        "error_samples": tally.errors[:5],
        "answered": tally.answered,
        "abstained": tally.abstained,
        "distinct_questions": len(questions),
        "server_rss_mb": {"before": rss_before, "peak": peak[0], "after": rss_after},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--warmup", type=int, default=4, help="questions asked before the clock starts (not counted)")
    parser.add_argument("--data-dir", type=Path, default=None, help="archive folder (default bench/results/serve/data)")
    parser.add_argument("--rebuild", action="store_true", help="ingest the archive again")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    results = run(args)
    text = json.dumps(results, indent=2)
    print(text)
    (WORK / "last.json").write_text(text)
    if args.json:
        args.json.write_text(text)
    if results["errors"]:
        raise SystemExit(f"{results['errors']} requests failed")


if __name__ == "__main__":
    main()
