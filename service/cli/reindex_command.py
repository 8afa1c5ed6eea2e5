"""``newsdesk reindex``: repair or rebuild this data folder's lexical index from the store."""

from __future__ import annotations

from typing import Annotated

import typer

from ingest.store import StoreError
from service.cli.output import console, errors, fail, print_json
from service.cli.progress import counting_display
from service.cli.state import runtime_from


def reindex(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON document.")] = False,
) -> None:
    """Bring the lexical index in line with the store: rebuild a damaged or missing one, rewrite what differs.

    Servers keep their index current on their own; this is for an index file that was deleted,
    damaged, or left behind (a server also repairs on its own when it falls behind the change feed).
    """
    runtime = runtime_from(ctx)
    progress = counting_display("reindexing", "chunks", console=errors)
    try:
        follower = runtime.lexical_follower
        with progress:
            task = progress.add_task("reindex", total=None)
            report = follower.repair(lambda done, total: progress.update(task, completed=done, total=total))
    except StoreError as exc:
        fail(str(exc), code="store_unavailable", as_json=as_json)
    document = {**vars(report), "seconds": round(report.seconds, 2), "index": str(follower.index.path)}
    if as_json:
        print_json(document)
        return
    if report.recreated:
        console.print(f"[yellow]the index was damaged ({report.recreated}); rebuilt it[/]", highlight=False)
    console.print(
        f"{report.articles} articles in the store: {report.rewritten} (re)indexed, {report.removed} removed; "
        f"the index holds {report.chunks} chunks ({report.seconds:.1f} s)",
        highlight=False,
    )
