"""How many sentences retrieval embeds, and in what batches: the cost behind ``SENTENCE_BATCH``.

For the first ``--questions`` (60) development questions, retrieval runs once over bench/ask.py's
1,000-article archive (build it first: ``bench/ask.py --build-only``); each question's scored
sentences, best first, are then embedded again with the default embedder under each setting
below, interleaved question by question, and the median ``encode`` time per question is printed
beside the first setting's (the baseline: what landed before, 24 sentences in one batch).

Run from the project root: ``.venv/bin/python bench/sentence_batches.py [--questions 60]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (sentences embedded, batch size); the first is the baseline.
SETTINGS = [(24, 24), (24, 12), (24, 8), (24, 4), (16, 8), (12, 12)]


def _ask_bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_ask", HERE / "ask.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=60)
    args = parser.parse_args()
    for key in [k for k in os.environ if k.startswith("NEWSDESK_")]:
        del os.environ[key]

    ask = _ask_bench()
    archive = ask.WORK / f"newsdesk-{ask.DEFAULT_ARTICLES}"
    if not archive.exists():
        raise SystemExit(f"no archive in {archive}: run bench/ask.py --build-only first")
    runtime = ask.make_runtime(archive, "newsdesk")
    from service.answer.ask import AskRequest

    groups: list[list[str]] = []
    for q in ask.dev_questions()[: args.questions]:
        result = runtime.asker.retrieve(AskRequest(question=q["question"], as_of=date.fromisoformat(q["as_of"][:10])))
        ranked = sorted((s for p in result.passages for s in p.sentences), key=lambda s: -s.score)
        groups.append([s.text for s in ranked[: max(n for n, _ in SETTINGS)]])

    embedder = runtime.embedder
    embedder.encode(groups[0], batch_size=8)  # warm
    times: dict[tuple[int, int], list[float]] = {s: [] for s in SETTINGS}
    for group in groups:
        for n, batch in SETTINGS:
            started = time.perf_counter()
            embedder.encode(group[:n], batch_size=batch)
            times[(n, batch)].append((time.perf_counter() - started) * 1000)

    pieces = [embedder.count_tokens(t) for g in groups for t in g]
    print(
        f"{len(groups)} questions; word pieces per sentence: median {statistics.median(pieces):.0f}, max {max(pieces)}"
    )
    base = statistics.median(times[SETTINGS[0]])
    print(f"{'sentences':>9} {'batch':>5} {'median ms':>10} {'mean ms':>8} {'vs 24 in one batch':>19}")
    for n, batch in SETTINGS:
        med = statistics.median(times[(n, batch)])
        print(f"{n:>9} {batch:>5} {med:>10.1f} {statistics.mean(times[(n, batch)]):>8.1f} {med / base:>18.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
