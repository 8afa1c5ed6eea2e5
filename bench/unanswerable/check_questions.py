"""Check the unanswerable question set against the RealTime QA articles it was written over.

Usage (from the project folder)::

    .venv/bin/python -m bench.unanswerable.check_questions ../shared/datasets/realtimeqa_2025-09_to_2026-04

The archive is the one ``bench/followups/check_answers.py`` loads (the ``search_result`` articles of every
``*_gcs.jsonl``, first occurrence of each URL, texts normalised the same way). For every question it checks
the record's shape (id, split against ``as_of``, kind, ``like`` on look-alikes) and then, on the articles
published on or before ``as_of`` (the ones newsdesk may see):

* every ``absent`` pattern (a regular expression over the normalised text that an answer would have to
  match) matches no visible article: the archive does not hold the answer;
* ``present`` (required for ``no_detail`` and ``look_alike``), when given, matches some visible article:
  the story is in the archive, only the asked detail is not, so the question is a near miss, not a
  question about nothing;
* ``later`` (kind ``later``), when given, matches some article published *after* ``as_of``: the archive
  reports the answer only later, so declining is right only because of the as-of date;
* ``like`` (kind ``look_alike``) names an answerable RealTime QA question of the same split.

Prints one line per violation and exits 1 if there is any, else prints the counts per split and kind.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from bench.followups.check_answers import Article, load_archive

KINDS = {"later", "no_detail", "look_alike"}


def quiz_ids(dataset_dir: Path) -> dict[str, str]:
    """The RealTime QA question ids with their dates (``YYYY-MM-DD``)."""
    ids: dict[str, str] = {}
    for path in sorted(dataset_dir.glob("past/*/*_qa.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                ids[row["question_id"]] = row["question_date"].replace("/", "-")
    return ids


def _matches(pattern: re.Pattern[str], articles: list[Article]) -> list[Article]:
    return [a for a in articles if pattern.search(a.text)]


def check(rows: list[dict], articles: dict[str, Article], quiz: dict[str, str]) -> tuple[list[str], Counter[str]]:
    """Return the violations found in ``rows`` and counts per split and kind."""
    errors: list[str] = []
    stats: Counter[str] = Counter()
    seen: set[str] = set()
    dated = [a for a in articles.values() if a.date]
    for n, row in enumerate(rows, 1):
        qid = row.get("id", f"line {n}")
        if qid in seen:
            errors.append(f"{qid}: duplicate id")
        seen.add(qid)
        as_of = row.get("as_of", "")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of):
            errors.append(f"{qid}: bad as_of {as_of!r}")
            continue
        split = "dev" if as_of < "2026-01-01" else "test"
        if row.get("split") != split:
            errors.append(f"{qid}: split {row.get('split')!r} but as_of {as_of} makes it {split}")
        kind = row.get("kind")
        if kind not in KINDS:
            errors.append(f"{qid}: unknown kind {kind!r}")
        if not str(row.get("question", "")).strip().endswith("?"):
            errors.append(f"{qid}: no question")
        stats[f"{split}/{kind}"] += 1
        visible = [a for a in dated if a.date <= as_of]
        absent = row.get("absent") or []
        if not absent:
            errors.append(f"{qid}: no absent pattern")
        for raw in absent:
            for hit in _matches(re.compile(raw), visible)[:3]:
                errors.append(f"{qid}: absent pattern {raw!r} found in {hit.url} ({hit.date})")
        present = row.get("present")
        if kind in {"no_detail", "look_alike"} and not present:
            errors.append(f"{qid}: {kind} needs a present pattern (the story the detail belongs to)")
        if present and not _matches(re.compile(present), visible):
            errors.append(f"{qid}: present pattern {present!r} in no article published on or before {as_of}")
        later = row.get("later")
        if later and kind != "later":
            errors.append(f"{qid}: only a later question has a later pattern")
        if later and not _matches(re.compile(later), [a for a in dated if a.date > as_of]):
            errors.append(f"{qid}: later pattern {later!r} in no article published after {as_of}")
        like = row.get("like")
        if kind == "look_alike":
            if like not in quiz:
                errors.append(f"{qid}: like {like!r} is no RealTime QA question")
            elif (quiz[like] < "2026-01-01") != (split == "dev"):
                errors.append(f"{qid}: like {like!r} is of the other split")
        elif like:
            errors.append(f"{qid}: only a look_alike names the question it resembles")
    return errors, stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("dataset_dir", type=Path, help="RealTime QA folder holding past/*/*_gcs.jsonl")
    parser.add_argument(
        "--file",
        type=Path,
        default=Path(__file__).with_name("realtimeqa.jsonl"),
        help="question file (default: realtimeqa.jsonl beside this script)",
    )
    args = parser.parse_args(argv)
    articles = load_archive(args.dataset_dir)
    with args.file.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    errors, stats = check(rows, articles, quiz_ids(args.dataset_dir))
    for error in errors:
        print(error)
    if errors:
        print(f"{len(errors)} violation(s)", file=sys.stderr)
        return 1
    print(f"OK: {len(rows)} unanswerable questions over {len(articles)} archive articles")
    for key in sorted(stats):
        print(f"  {key}: {stats[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
