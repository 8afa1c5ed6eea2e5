"""RealTime QA: dated news-quiz questions asked free-form of an archive built from their search results.

Each question is asked with ``as_of`` = its ``question_date``, so the archive holds only what
was published by then. Scoring (per the issue):

- accuracy: the gold choice appears in ``short_answer`` and no other choice does; without a
  short answer, the same test on ``answer``; an abstention is wrong;
- accuracy by choice, reported beside it and never instead: the short answer picks out the gold choice
  as a quiz-taker would read it ("Elon Musk" for "Tesla's Elon Musk", "UK" for "United Kingdom"), see
  ``picks_gold``;
- answer-recall@k: the gold choice appears in any of the k passages retrieved;
- abstention rate; citation validity (each quote equals the stored text at its offsets);
- latency p50/p95 of the whole ``ask``.

The development split is the questions dated before 2026-01-01; the rest is the test split.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ingest.models import IngestSummary
from ingest.normalise.dates import parse_date
from ingest.readers import read_sources
from service.answer.ask import AskRequest
from service.runtime import Runtime

Split = Literal["dev", "test", "all"]
TEST_SPLIT_STARTS = date(2026, 1, 1)


def split_rows(path: Path, split: Split) -> Iterator[dict[str, Any]]:
    """The rows of ``split`` in one of our own JSONL sets (a file, or every ``*.jsonl`` in a folder)."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if split == "all" or row["split"] == split:
                    yield row


@dataclass(frozen=True)
class Question:
    """One quiz question with its choices and the index of the right one."""

    id: str
    date: date
    text: str
    choices: list[str]
    gold: int

    @property
    def gold_text(self) -> str:
        return self.choices[self.gold]


@dataclass
class QuestionResult:
    """How newsdesk did on one question."""

    id: str
    question: str
    question_date: str
    gold: str
    short_answer: str | None
    answer: str
    answered: bool
    correct: bool
    recall_at_k: bool
    # The short answer picks out the gold choice (``picks_gold``); reported beside ``correct``.
    correct_by_choice: bool
    citations: int
    citations_valid: int
    latency_ms: float
    # Which answerer's draft it is (``llm:<model>``, or the extractive fallback) and the answer's notes
    # (a fallback says why): bench/miss_breakdown.py --report reads them.
    answerer: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    """The figures of one evaluation run, as ``newsdesk eval --json`` prints them."""

    dataset: str
    split: str
    questions: int
    answerer: str
    k: int
    accuracy: float
    accuracy_by_choice: float
    accuracy_when_answered: float
    answer_recall_at_k: float
    abstention_rate: float
    citation_validity: float
    latency_ms_p50: float
    latency_ms_p95: float
    ingest: dict[str, object] = field(default_factory=dict)
    # With ``--unanswerable``: the decline rate on questions the archive cannot answer, from the same run.
    unanswerable: dict[str, object] = field(default_factory=dict)
    results: list[QuestionResult] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        """The report without the per-question rows."""
        document = asdict(self)
        document.pop("results")
        return document


def load_questions(dataset: Path, split: Split) -> list[Question]:
    """The questions of ``split`` from every ``*_qa.jsonl`` under ``dataset``, in date order."""
    questions: list[Question] = []
    for path in sorted(dataset.rglob("*_qa.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            parsed = parse_date(row["question_date"])  # both 2025-09-04 and 2026/04/10 occur
            if parsed is None:
                continue
            asked = parsed.date()
            if split == "dev" and asked >= TEST_SPLIT_STARTS or split == "test" and asked < TEST_SPLIT_STARTS:
                continue
            questions.append(
                Question(
                    id=row["question_id"],
                    date=asked,
                    text=row["question_sentence"],
                    choices=row["choices"],
                    gold=int(row["answer"][0]),
                )
            )
    return sorted(questions, key=lambda q: (q.date, q.id))


def article_files(dataset: Path) -> list[Path]:
    """The files holding the articles: each ``*_gcs.jsonl`` line lists search results."""
    return sorted(dataset.rglob("*_gcs.jsonl"))


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _plain(text: str) -> str:
    return text.translate(_QUOTES).lower().strip()


def _choice_name(choice: str) -> str:
    """A choice as an answer would write it: the quotation marks around a title and a leading "the" go."""
    return re.sub(r"^the\s+", "", _plain(choice).strip("\"'").strip())


def mentions(text: str, choice: str) -> bool:
    """Whether ``choice`` occurs in ``text`` as whole words, ignoring case, curly quotes, the quotation marks
    around a title and a leading "the"."""
    wanted = _choice_name(choice)
    return re.search(r"(?<!\w)" + re.escape(wanted) + r"(?!\w)", _plain(text)) is not None


# Words a choice can drop without naming something else.
_FILLER = frozenset({"the", "a", "an", "of", "and", "s"})
# Where a choice's core ends: "Davos, Switzerland", "Medical issue with a crew member", "The Louvre in Paris".
_CORE_ENDS = re.compile(r",|\(|\b(?:in|with|at|from|for|on|to|of)\b")


def _words(text: str) -> list[str]:
    # "U.N." is "un" and "Tesla's" is "tesla", so spellings of one name share their words.
    plain = re.sub(r"\b(?:[a-z]\.){2,}", lambda m: m.group(0).replace(".", ""), _plain(text))
    plain = re.sub(r"'s\b", "", plain)
    return [w for w in re.findall(r"[\w$%]+(?:[.,]\d+)*", plain) if w not in _FILLER]


def _core(choice: str) -> set[str]:
    name = re.sub(r"^[\w.]+'s\s+", "", _choice_name(choice))  # "Tesla's Elon Musk" is Elon Musk
    return set(_words(_CORE_ENDS.split(name, maxsplit=1)[0])) or set(_words(name))


def _initials(choice: str) -> str:
    return "".join(w[0] for w in _words(_choice_name(choice)) if w.isalpha())


def _fits(answer: set[str], choice: str) -> bool:
    """Every word of the answer stands in the choice and one is in its core, or the answer is its initials."""
    if len(answer) == 1 and len(_initials(choice)) > 1 and next(iter(answer)) == _initials(choice):
        return True
    words = set(_words(choice))
    alternative = re.search(r"\(([^)]*)\)", choice)  # "Skimo (Ski Mountaineering)"
    if alternative and answer <= set(_words(alternative.group(1))):
        return True
    return answer <= words and bool(answer & _core(choice))


def picks_gold(question: Question, short_answer: str | None) -> bool:
    """Whether the short answer picks out the gold choice and no other, as a quiz-taker would read it.

    Its words all stand in the gold choice, at least one in the choice's core (so "Paris" is not "The
    Louvre in Paris"), and they fit no other choice; initials count ("UK" for "United Kingdom"). A gold
    choice listing items with "and" needs a word of each ("Texas" is half of "Missouri and Texas").
    Reported beside the strict accuracy, so a reader sees how much of a miss is only the spelling.
    """
    answer = set(_words(short_answer or ""))
    gold = question.gold_text
    if not answer or not _fits(answer, gold):
        return False
    name = _choice_name(gold)
    titled = gold.lstrip().startswith(('"', "\u201c"))  # "Calvin and Hobbes" is one thing
    items = re.split(r",|\band\b", name) if re.search(r"\band\b", name) and not titled else []
    if len(items) > 1 and not all(answer & set(_words(item)) for item in items if _words(item)):
        return False
    return not any(_fits(answer, c) for i, c in enumerate(question.choices) if i != question.gold)


def is_correct(question: Question, short_answer: str | None, answer: str, answered: bool) -> bool:
    """The gold choice is named and no other choice is (short answer first, else the answer)."""
    if not answered:
        return False
    text = short_answer if short_answer else answer
    others = [c for i, c in enumerate(question.choices) if i != question.gold and not mentions(question.gold_text, c)]
    return mentions(text, question.gold_text) and not any(mentions(text, c) for c in others)


def ingest_articles(runtime: Runtime, dataset: Path) -> IngestSummary:
    """Store the dataset's articles (unchanged ones cost a lookup only on later runs)."""
    files = [str(p) for p in article_files(dataset)]
    return runtime.ingestor.ingest(read_sources(files, runtime.settings.ingest))


def evaluate(
    runtime: Runtime, dataset: Path, split: Split, limit: int | None = None, k: int = 8
) -> Iterator[QuestionResult]:
    """Ask every question of ``split`` and score it, one result at a time."""
    questions = load_questions(dataset, split)
    if limit:
        questions = questions[:limit]
    asker = runtime.asker
    for q in questions:
        request = AskRequest(question=q.text, as_of=q.date, k=k)
        started = time.perf_counter()
        retrieved = asker.retrieval_step(request)
        answer = asker.answer_step(retrieved)
        latency = (time.perf_counter() - started) * 1000
        correct = is_correct(q, answer.short_answer, answer.answer, answer.answered)
        valid = 0
        texts = runtime.store.get_articles([c.article.id for c in answer.citations])
        for c in answer.citations:
            stored = texts.get(c.article.id)
            valid += int(stored is not None and stored.text[c.start : c.end] == c.quote)
        yield QuestionResult(
            id=q.id,
            question=q.text,
            question_date=q.date.isoformat(),
            gold=q.gold_text,
            short_answer=answer.short_answer,
            answer=answer.answer,
            answered=answer.answered,
            correct=correct,
            correct_by_choice=correct or answer.answered and picks_gold(q, answer.short_answer),
            recall_at_k=any(mentions(p.text, q.gold_text) for p in retrieved.result.passages),
            citations=len(answer.citations),
            citations_valid=valid,
            latency_ms=round(latency, 1),
            answerer=answer.answerer,
            notes=list(answer.notes),
        )


def build_report(
    dataset: Path, split: str, answerer: str, k: int, results: list[QuestionResult], ingest: dict[str, object]
) -> Report:
    """Aggregate per-question results into the run's figures."""
    n = len(results) or 1
    answered = [r for r in results if r.answered]
    cited = sum(r.citations for r in results)
    latencies = np.array([r.latency_ms for r in results]) if results else np.zeros(1)
    return Report(
        dataset=str(dataset),
        split=split,
        questions=len(results),
        answerer=answerer,
        k=k,
        accuracy=round(sum(r.correct for r in results) / n, 4),
        accuracy_by_choice=round(sum(r.correct_by_choice for r in results) / n, 4),
        accuracy_when_answered=round(sum(r.correct for r in answered) / (len(answered) or 1), 4),
        answer_recall_at_k=round(sum(r.recall_at_k for r in results) / n, 4),
        abstention_rate=round(1 - len(answered) / n, 4),
        citation_validity=round(sum(r.citations_valid for r in results) / cited, 4) if cited else 1.0,
        latency_ms_p50=round(float(np.percentile(latencies, 50)), 1),
        latency_ms_p95=round(float(np.percentile(latencies, 95)), 1),
        ingest=ingest,
        results=results,
    )


def write_chart(report: Report, path: Path) -> None:
    """A PNG with the run's rates and its latency distribution."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (rates, latency) = plt.subplots(1, 2, figsize=(10, 4))
    names = ["accuracy", f"recall@{report.k}", "abstention", "citation\nvalidity"]
    values = [report.accuracy, report.answer_recall_at_k, report.abstention_rate, report.citation_validity]
    bars = rates.bar(names, values, color=["#2b6cb0", "#38a169", "#a0aec0", "#805ad5"])
    rates.bar_label(bars, labels=[f"{v:.0%}" for v in values])
    rates.set_ylim(0, 1.1)
    rates.set_title(f"RealTime QA {report.split} · {report.questions} questions · {report.answerer}")
    latency.hist([r.latency_ms for r in report.results], bins=30, color="#2b6cb0")
    latency.axvline(report.latency_ms_p50, color="black", linestyle="--", label=f"p50 {report.latency_ms_p50:.0f} ms")
    latency.axvline(report.latency_ms_p95, color="red", linestyle=":", label=f"p95 {report.latency_ms_p95:.0f} ms")
    latency.set_xlabel("ask latency (ms)")
    latency.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
