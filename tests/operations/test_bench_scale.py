"""bench/scale.py at a tiny size: it fills a store from real embedded chunks and measures a real server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = (
    "chunks",
    "fresh_s",
    "ask_p50_ms",
    "ask_p95_ms",
    "search_p50_ms",
    "rss_mb",
    "lexical_update_s",
    "disk_mb",
    "chunks_per_s",
)


@pytest.mark.slow
def test_the_scale_benchmark_fills_300_chunks_and_reports_one_run_of_every_figure(
    tmp_path: Path, model_cache: Path, shared_dir: Path
) -> None:
    data_dir = tmp_path / "data"
    command = [
        sys.executable,
        str(ROOT / "bench" / "scale.py"),
        "--chunks",
        "300",
        "--data-dir",
        str(data_dir),
        "--work",
        str(tmp_path / "work"),
        "--model-cache",
        str(model_cache),
        "--pool-articles",
        "6",
        "--questions",
        "2",
        "--poll-s",
        "0.2",
        "--fresh-timeout",
        "120",
        "--json",
    ]
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]

    report = json.loads(run.stdout)
    assert len(report["runs"]) == 1
    entry = report["runs"][0]
    assert set(REQUIRED) <= set(entry)
    # Filled to the size, not a batch beyond it (an article has 3 to 15 chunks); the probe comes after.
    assert 300 <= entry["chunks"] < 300 + 15
    assert entry["chunks_per_s"] > 0
    # The probe article was found by both searches, dense first or at once, and only lexically by its word.
    assert entry["fresh_s"] is not None and entry["fresh_s"] >= entry["fresh_dense_s"]
    assert entry["lexical_update_s"] == entry["fresh_lexical_s"]
    assert entry["lexical_probe_dense_clear"] is True
    assert entry["questions"] == 2 and entry["ask_p50_ms"] > 0 and entry["search_p50_ms"] > 0
    assert entry["rss_mb"] > 100 and entry["disk_mb"] > 0
    # The folder remembers how far it was filled, so a larger size continues from there.
    marker = json.loads((data_dir / "bench-scale.json").read_text())
    assert marker["next"] == entry["articles"]
