"""``newsdesk search``: ranked passages for a query."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from ingest.store import StoreError
from service.cli.dates import option_window
from service.cli.output import console, fail, print_json
from service.cli.state import runtime_from
from service.retrieval.evidence import RankedPassage
from service.retrieval.limits import DEFAULT_K_SEARCH, K_MIN
from service.retrieval.outlet_hints import unknown_outlet_notes
from service.retrieval.window import end_of, start_of


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What to look for.")],
    # Up to 100 on the command line (a local user's own machine), as before; HTTP keeps K_MAX.
    k: Annotated[int, typer.Option("--k", min=K_MIN, max=100, help="How many passages.")] = DEFAULT_K_SEARCH,
    source: Annotated[list[str] | None, typer.Option("--source", help="Only this outlet (repeatable).")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before this date.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Passages that best match QUERY (dense + lexical), with their article's title, outlet and date."""
    if not query.strip():
        raise typer.BadParameter("the query is empty", param_hint="QUERY")
    since_day, until_day, _ = option_window(since, until)
    runtime = runtime_from(ctx)
    try:
        result = runtime.retriever.retrieve(
            query,
            k=k,
            sources=source,
            since=start_of(since_day),
            until=end_of(until_day),
        )
    except StoreError as exc:
        fail(str(exc), code="store_unavailable", as_json=as_json)
    notes = unknown_outlet_notes(result.unknown_sources)
    if as_json:
        results = [RankedPassage.of(n, p) for n, p in enumerate(result.passages, 1)]
        print_json({"query": query, "results": results, "notes": notes})
        return
    for note in notes:
        console.print(f"[yellow]note:[/] {escape(note)}", highlight=False)
    if not result.passages:
        console.print("nothing found")
    for n, p in enumerate(result.passages, 1):
        a = p.article
        date = a.published_at.date().isoformat() if a.published_at else "undated"
        console.print(
            f"[bold]{n}. {escape(a.title)}[/] — {escape(a.source or 'unknown outlet')} · {date}  "
            f"[dim]{p.score:.4f} {a.id}:{p.start}-{p.end}[/]",
            highlight=False,
        )
        console.print(p.text, highlight=False, markup=False)
        console.print()
