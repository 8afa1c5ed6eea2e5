"""Where the benchmarks find the shared evaluation datasets: ``../shared/datasets`` beside the checkout.

Benchmarks import it as ``dataset_paths`` (bench/ is their script folder). The datasets are read in
place, never copied into the project.
"""

from __future__ import annotations

import argparse
from pathlib import Path

SHARED_DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
REALTIMEQA = SHARED_DATASETS / "realtimeqa_2025-09_to_2026-04"


def realtimeqa_parser(description: str | None) -> argparse.ArgumentParser:
    """A benchmark's argument parser (its docstring as help, kept as written) with ``--dataset``, the
    RealTime QA folder, defaulting to the shared one."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", type=Path, default=REALTIMEQA, help="the RealTime QA folder")
    return parser
