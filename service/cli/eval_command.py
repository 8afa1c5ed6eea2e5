"""``newsdesk eval``: accuracy, recall, abstention, citation validity and latency on a dataset."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ingest.store import StoreError
from service.cli.output import console, errors, fail, print_json
from service.cli.progress import counting_display
from service.cli.state import runtime_from
from service.evaluation import followups, realtimeqa, unanswerable
from service.evaluation.archive import eval_settings
from service.runtime import Runtime


class Dataset(StrEnum):
    realtimeqa = "realtimeqa"
    followups = "followups"


class SplitName(StrEnum):
    dev = "dev"
    test = "test"
    all = "all"


def evaluate(
    ctx: typer.Context,
    dataset: Annotated[Dataset, typer.Argument(help="Which dataset format.")],
    path: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="The dataset folder.")],
    split: Annotated[
        SplitName, typer.Option(help="dev: before 2026-01-01 (tune here); test: from 2026-01-01.")
    ] = SplitName.dev,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N questions.")] = None,
    k: Annotated[int, typer.Option("--k", min=1, max=20, help="Passages of evidence per question.")] = 8,
    out: Annotated[Path | None, typer.Option(help="Folder for the JSON report and PNG chart.")] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            file_okay=False,
            help="followups: the RealTime QA folder whose articles the conversations are asked of.",
        ),
    ] = None,
    unanswerable_path: Annotated[
        Path | None,
        typer.Option(
            "--unanswerable",
            exists=True,
            help="realtimeqa: also ask these questions the archive cannot answer (bench/unanswerable) "
            "and report how many are declined.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report summary as one JSON document.")] = False,
) -> None:
    """Ingest the dataset's articles into a separate eval archive, ask every question, report.

    For followups, PATH holds scripted conversations (bench/followups), asked turn by turn over
    the RealTime QA evaluation archive built from --corpus. For realtimeqa, --unanswerable adds the
    decline rate on questions no visible article answers, from the same run.
    """
    base = runtime_from(ctx)
    if dataset is Dataset.followups:
        if corpus is None:
            fail(
                "followups needs --corpus: the RealTime QA folder the conversations are asked of",
                code="usage",
                as_json=as_json,
            )
        evaluate_followups(base, path, corpus, split.value, limit, k, out, as_json)
        return
    runtime = Runtime(eval_settings(base.settings, dataset.value))
    try:
        with console.status("ingesting the dataset's articles…"):
            summary = realtimeqa.ingest_articles(runtime, path)
        runtime.warm_up()
        questions = realtimeqa.load_questions(path, split.value)[: limit or None]
        unanswerable_questions = (
            unanswerable.load_unanswerable(unanswerable_path, split.value)[: limit or None] if unanswerable_path else []
        )
        results: list[realtimeqa.QuestionResult] = []
        declines: list[unanswerable.DeclineResult] = []
        with counting_display("asking", console=errors) as bar:
            task = bar.add_task("ask", total=len(questions) + len(unanswerable_questions))
            for result in realtimeqa.evaluate(runtime, path, split.value, limit=limit, k=k):
                results.append(result)
                bar.advance(task)
            for decline in unanswerable.evaluate_declines(runtime, unanswerable_questions, k=k):
                declines.append(decline)
                bar.advance(task)
    except StoreError as exc:
        fail(str(exc), code="store_unavailable", as_json=as_json)
    report = realtimeqa.build_report(
        path,
        split.value,
        runtime.answerer.name,
        k,
        results,
        ingest={
            "new": summary.new,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "failed": summary.failed,
            "chunks": summary.chunks,
            "seconds": summary.seconds,
        },
    )
    if unanswerable_path:
        report.unanswerable = unanswerable.decline_summary(unanswerable_path, declines)
    folder = out or runtime.settings.ingest.data_dir / "eval"
    stem = f"{dataset.value}-{split.value}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    folder.mkdir(parents=True, exist_ok=True)
    report_path, chart_path = folder / f"{stem}.json", folder / f"{stem}.png"
    rows = {"results": [vars(r) for r in results], "unanswerable_results": [vars(r) for r in declines]}
    report_path.write_text(json.dumps({**report.summary(), **rows}, indent=2, ensure_ascii=False))
    realtimeqa.write_chart(report, chart_path)
    document = {**report.summary(), "report": str(report_path), "chart": str(chart_path)}
    if as_json:
        print_json(document)
        return
    for key in (
        "split",
        "questions",
        "answerer",
        "accuracy",
        "accuracy_by_choice",
        "accuracy_when_answered",
        "answer_recall_at_k",
        "abstention_rate",
        "citation_validity",
        "latency_ms_p50",
        "latency_ms_p95",
        "report",
        "chart",
    ):
        console.print(f"[bold]{key}[/] {document[key]}", highlight=False)
    if report.unanswerable:
        console.print(f"[bold]unanswerable[/] {report.unanswerable}", highlight=False)


def evaluate_followups(
    base: Runtime,
    path: Path,
    corpus: Path,
    split: realtimeqa.Split,
    limit: int | None,
    k: int,
    out: Path | None,
    as_json: bool,
) -> None:
    """Ask the scripted conversations under ``path`` over the RealTime QA archive of ``corpus``; report."""
    runtime = Runtime(eval_settings(base.settings, Dataset.realtimeqa.value))
    cases = followups.load_cases(path, split)[: limit or None]
    try:
        with console.status("checking the RealTime QA articles are stored…"):
            realtimeqa.ingest_articles(runtime, corpus)
        runtime.warm_up()
        results: list[followups.TurnResult] = []
        with counting_display("conversations", "turns", console=errors) as bar:
            task = bar.add_task("ask", total=sum(len(c.turns) for c in cases))
            for result in followups.evaluate(runtime, cases, k=k):
                results.append(result)
                bar.advance(task)
    except StoreError as exc:
        fail(str(exc), code="store_unavailable", as_json=as_json)
    report = followups.build_report(path, split, runtime.answerer.name, runtime.chat.resolver.name, cases, results)
    folder = out or runtime.settings.ingest.data_dir / "eval"
    folder.mkdir(parents=True, exist_ok=True)
    report_path = folder / f"followups-{split}-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    report_path.write_text(
        json.dumps({**report.summary(), "results": [vars(r) for r in results]}, indent=2, ensure_ascii=False)
    )
    document = {**report.summary(), "report": str(report_path)}
    if as_json:
        print_json(document)
        return
    for key in (
        "split",
        "conversations",
        "follow_up_turns",
        "follow_up_accuracy",
        "answerable_accuracy",
        "unanswerable_declined",
        "rewrite_accuracy",
        "first_turn_accuracy",
        "latency_ms_p50_first",
        "latency_ms_p50_follow_up",
        "report",
    ):
        console.print(f"[bold]{key}[/] {document[key]}", highlight=False)
    for kind, figures in report.by_kind.items():
        console.print(f"  {kind}: {figures}", highlight=False)
