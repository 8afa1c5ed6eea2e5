"""Check the follow-up conversation set against the RealTime QA articles it was written from.

Usage::

    python bench/followups/check_answers.py ../shared/datasets/realtimeqa_2025-09_to_2026-04
    python bench/followups/check_answers.py DATASET_DIR --file other.jsonl

``DATASET_DIR`` is the RealTime QA folder (the one holding ``past/2025/*_gcs.jsonl``). The archive is the
union of the ``search_result`` articles of every ``*_gcs.jsonl`` below it, deduplicated by URL.

For every conversation it checks the shape of the record (ids, split against ``as_of``, kinds, 2-4 turns,
``mentions`` on follow-ups, ``answers`` xor ``answerable: false``), and for every answerable turn that:

* each answer string occurs, case-insensitively, in at least one article published on or before ``as_of``,
  within ``WINDOW`` characters of a word of the question (the turn's question, its ``mentions`` and, for
  follow-ups, the earlier questions of the conversation, which is where a pronoun's referent lives);
* ``source_url`` names an article of the archive, published on or before ``as_of``, holding one of the answers.

Text is compared after Unicode NFC normalisation, with curly quotes, en/em dashes and non-breaking spaces
folded to their ASCII forms. Unanswerable turns cannot be checked mechanically (absence was checked by
hand with targeted searches when the set was written); the script only checks they carry no answers.

Prints one line per violation and exits 1 if there is any, else prints a summary and exits 0.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

KINDS = {"pronoun", "ellipsis", "what_about", "bare", "new_topic", "reset"}
STANDALONE_KINDS = {"new_topic", "reset"}
WINDOW = 400
PREFIX = 5
STOPWORDS = set(
    """
    about after again also and another any are around been before being both but can could did does doing
    down during each else from further had has have having here how into its just many more most much new
    now off once only other our out over own same she should some such than that the their them then there
    these they this those through too under until very was were what when where which while who whom whose
    why will with would year years your question week this
    """.split()
)
_FOLD = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "}
)


def norm(text: str | None) -> str:
    """Lower-case, NFC-normalised text with typographic quotes, dashes and spaces folded to ASCII."""
    return unicodedata.normalize("NFC", text or "").translate(_FOLD).lower()


@dataclass(frozen=True)
class Article:
    url: str
    date: str  # YYYY-MM-DD, "" when the article has no publish_date
    text: str  # normalised


def load_archive(dataset_dir: Path) -> dict[str, Article]:
    """All articles of the ``*_gcs.jsonl`` files under ``dataset_dir``, first occurrence of each URL."""
    articles: dict[str, Article] = {}
    files = sorted(dataset_dir.glob("past/*/*_gcs.jsonl"))
    if not files:
        raise SystemExit(f"no past/*/*_gcs.jsonl under {dataset_dir}")
    for path in files:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                for doc in json.loads(line)["search_result"]:
                    if doc["url"] not in articles:
                        date = (doc.get("publish_date") or "").replace("/", "-")
                        articles[doc["url"]] = Article(doc["url"], date, norm(doc.get("text")))
    return articles


def cue_prefixes(texts: list[str]) -> set[str]:
    """Word prefixes (first ``PREFIX`` letters of words of 4+ letters, stopwords left out) of ``texts``."""
    words = re.findall(r"[a-z0-9][a-z0-9'.&-]*", norm(" ".join(texts)))
    return {w.strip("'.-")[:PREFIX] for w in words if len(w.strip("'.-")) >= 4 and w not in STOPWORDS}


def near_cue(text: str, answer: str, cues: set[str]) -> bool:
    """Whether some occurrence of ``answer`` in ``text`` has a word starting with a cue prefix nearby."""
    start = text.find(answer)
    while start >= 0:
        window = text[max(0, start - WINDOW) : start + len(answer) + WINDOW]
        if any(re.search(r"(?<![a-z0-9])" + re.escape(c), window) for c in cues):
            return True
        start = text.find(answer, start + 1)
    return False


def check(rows: list[dict], articles: dict[str, Article]) -> tuple[list[str], Counter[str]]:
    """Return the violations found in ``rows`` and counts of conversations and turns."""
    errors: list[str] = []
    stats: Counter[str] = Counter()
    seen_ids: set[str] = set()
    for n, row in enumerate(rows, 1):
        cid = row.get("id", f"line {n}")
        as_of = row.get("as_of", "")
        if cid in seen_ids:
            errors.append(f"{cid}: duplicate id")
        seen_ids.add(cid)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of):
            errors.append(f"{cid}: bad as_of {as_of!r}")
            continue
        split = "dev" if as_of < "2026-01-01" else "test"
        if row.get("split") != split:
            errors.append(f"{cid}: split {row.get('split')!r} but as_of {as_of} makes it {split}")
        if not row.get("topic"):
            errors.append(f"{cid}: no topic")
        turns = row.get("turns") or []
        if not 2 <= len(turns) <= 4:
            errors.append(f"{cid}: {len(turns)} turns (want 2-4)")
        stats[f"conversations/{split}"] += 1
        visible = [a for a in articles.values() if a.date and a.date <= as_of]
        questions: list[str] = []
        for i, turn in enumerate(turns):
            where = f"{cid} turn {i}"
            kind = turn.get("kind")
            question = turn.get("question", "")
            if not question:
                errors.append(f"{where}: no question")
            if i == 0 and kind is not None:
                errors.append(f"{where}: turn 0 has a kind")
            if i > 0:
                stats[f"turns/{split}/{kind}"] += 1
                if kind not in KINDS:
                    errors.append(f"{where}: unknown kind {kind!r}")
                mentions = turn.get("mentions")
                if kind in STANDALONE_KINDS:
                    if mentions:
                        errors.append(f"{where}: {kind} turn has mentions")
                elif not mentions or not 1 <= len(mentions) <= 2 or not all(isinstance(m, str) and m for m in mentions):
                    errors.append(f"{where}: follow-up needs 1-2 mentions")
            answers = turn.get("answers")
            if turn.get("answerable", True) is False:
                if i > 0:
                    stats[f"unanswerable/{split}"] += 1
                if answers or turn.get("source_url"):
                    errors.append(f"{where}: unanswerable turn carries answers or a source_url")
                if i == 0:
                    errors.append(f"{where}: turn 0 must be answerable")
            else:
                if not answers or not all(isinstance(a, str) and a for a in answers):
                    errors.append(f"{where}: answerable turn without answers")
                    answers = []
                context = [question, *(turn.get("mentions") or [])]
                if i > 0 and kind not in STANDALONE_KINDS:
                    context += questions
                cues = cue_prefixes(context)
                for answer in answers:
                    na = norm(answer)
                    holders = [a for a in visible if na in a.text]
                    if not holders:
                        errors.append(f"{where}: answer {answer!r} in no article published on or before {as_of}")
                    elif not any(near_cue(a.text, na, cues) for a in holders):
                        errors.append(f"{where}: answer {answer!r} never within {WINDOW} chars of a question word")
                src = articles.get(turn.get("source_url", ""))
                if src is None:
                    errors.append(f"{where}: source_url missing or not in the archive")
                elif not src.date or src.date > as_of:
                    errors.append(f"{where}: source_url published {src.date or 'undated'}, after as_of {as_of}")
                elif not any(norm(a) in src.text for a in answers):
                    errors.append(f"{where}: source_url holds none of the answers")
            questions.append(question)
    return errors, stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset_dir", type=Path, help="RealTime QA folder holding past/*/*_gcs.jsonl")
    parser.add_argument(
        "--file",
        type=Path,
        default=Path(__file__).with_name("realtimeqa.jsonl"),
        help="conversation file (default: realtimeqa.jsonl beside this script)",
    )
    args = parser.parse_args(argv)
    articles = load_archive(args.dataset_dir)
    with args.file.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    errors, stats = check(rows, articles)
    for error in errors:
        print(error)
    if errors:
        print(f"{len(errors)} violation(s)", file=sys.stderr)
        return 1
    followups = sum(v for k, v in stats.items() if k.startswith("turns/"))
    unanswerable = sum(v for k, v in stats.items() if k.startswith("unanswerable/"))
    print(
        f"OK: {len(rows)} conversations, {followups} follow-up turns ({unanswerable} unanswerable), "
        f"{len(articles)} archive articles"
    )
    for key in sorted(stats):
        print(f"  {key}: {stats[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
