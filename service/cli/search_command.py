"""``newsdesk search``: ranked passages for a query."""

from __future__ import annotations

from typing import Annotated

import typer

from ingest.store import StoreError
from service.cli.dates import option_date
from service.cli.output import console, fail, print_json
from service.cli.state import runtime_from
from service.retrieval.dense import dense_search


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="How many passages.")] = 5,
    source: Annotated[list[str] | None, typer.Option("--source", help="Only this outlet (repeatable).")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before this date.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Passages most similar to QUERY, with their article's title, outlet and date."""
    runtime = runtime_from(ctx)
    try:
        hits = dense_search(
            runtime.store, runtime.embedder, query, k,
            sources=source, since=option_date(since, "--since"), until=option_date(until, "--until"),
        )
    except StoreError as exc:
        fail(str(exc), code="store_unavailable", as_json=as_json)
    if as_json:
        print_json({
            "query": query,
            "results": [
                {"rank": n, "id": h.chunk.id, "score": round(h.score, 4), "text": h.chunk.text,
                 "start": h.chunk.start, "end": h.chunk.end, "article": h.article.record()}
                for n, h in enumerate(hits, 1)
            ],
        })
        return
    if not hits:
        console.print("nothing found")
    for n, h in enumerate(hits, 1):
        a = h.article
        date = a.published_at.date().isoformat() if a.published_at else "undated"
        console.print(f"[bold]{n}. {a.title}[/] — {a.source or 'unknown outlet'} · {date}  [dim]{h.score:.3f} {h.chunk.id}[/]", highlight=False)
        console.print(h.chunk.text, highlight=False, markup=False)
        console.print()
