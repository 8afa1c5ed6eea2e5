"""``newsdesk ingest``: read sources, store articles, print a summary."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.models import IngestOutcome, IngestSummary
from ingest.readers import read_sources
from ingest.store import StoreError
from service.cli.output import console, errors, fail, print_json
from service.cli.progress import progress_display
from service.cli.state import runtime_from


def ingest(
    ctx: typer.Context,
    sources: Annotated[list[str], typer.Argument(help="Files, folders, .json/.jsonl, .html, .txt/.md, feeds or URLs.")],
    source: Annotated[str | None, typer.Option("--source", help="Outlet name for every article read.")] = None,
    fetch: Annotated[
        bool, typer.Option("--fetch", help="Fetch the full page of feed entries that carry only a summary.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON document.")] = False,
) -> None:
    """Store articles from files, folders, feeds and URLs; report every item that fails."""
    runtime = runtime_from(ctx)
    progress = progress_display(
        SpinnerColumn(),
        TextColumn("[bold]{task.fields[done]}[/] articles, {task.fields[chunks]} chunks"),
        BarColumn(bar_width=None),
        TextColumn("{task.fields[current]}", style="dim"),
        TimeElapsedColumn(),
        console=errors,
        describe=lambda _done, _total, fields: f"ingesting: {fields['done']} articles, {fields['chunks']} chunks",
    )
    interrupted = False
    summary = IngestSummary()
    with progress:
        task = progress.add_task("ingest", total=None, done=0, chunks=0, current="loading model…")

        def on_outcome(outcome: IngestOutcome) -> None:
            progress.update(task, done=len(summary.items), chunks=summary.chunks, current=_short(outcome.origin))
            if outcome.status == "failed":
                progress.console.print(f"[red]failed[/] {outcome.origin}: {outcome.reason}", highlight=False)

        try:
            items = read_sources(sources, runtime.settings.ingest, fetch=fetch, source_name=source)
            runtime.ingestor.ingest(items, on_outcome=on_outcome, summary=summary)
        except StoreError as exc:
            fail(str(exc), code="store_unavailable", as_json=as_json)
        except KeyboardInterrupt:
            # Everything committed so far stays; the rest is simply not stored yet, and a rerun
            # picks up where this one stopped (unchanged articles cost a lookup only).
            interrupted = True
    if as_json:
        document = summary.model_dump(mode="json", exclude={"items"})
        document["interrupted"] = interrupted
        print_json(document)
    else:
        _print_summary(summary, interrupted)
    if interrupted:
        raise typer.Exit(130)
    if summary.failed:
        raise typer.Exit(1)


def _print_summary(summary: IngestSummary, interrupted: bool) -> None:
    table = Table(show_header=False, box=None, pad_edge=False)
    for label, value in (
        ("new", summary.new),
        ("updated", summary.updated),
        ("unchanged", summary.unchanged),
        ("failed", summary.failed),
        ("chunks", summary.chunks),
        ("seconds", f"{summary.seconds:.1f}"),
        ("chunks/s", f"{summary.chunks_per_s:.1f}"),
    ):
        table.add_row(f"[bold]{label}[/]", str(value))
    console.print(table)
    for failure in summary.failures:
        console.print(f"[red]failed[/] {failure.origin}: {failure.reason}", highlight=False)
    if interrupted:
        console.print("[yellow]interrupted[/]: what was stored stays stored; run the same command again to finish.")


def _short(origin: str, width: int = 48) -> str:
    return origin if len(origin) <= width else "…" + origin[-(width - 1) :]
