"""``newsdesk articles list|show|delete`` and ``newsdesk stats``: what the archive holds."""

from __future__ import annotations

import sqlite3
import time
from typing import Annotated

import typer
from rich.table import Table

from ingest.identity import ID_PATTERN
from ingest.lexical.listing import newest_articles, outlet_counts
from ingest.store import StoreError
from service.cli.dates import option_window
from service.cli.feeds_command import print_feeds
from service.cli.output import console, fail, print_json
from service.cli.state import runtime_from
from service.retrieval.window import end_of, start_of

articles_app = typer.Typer(help="List, show and delete stored articles.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


@articles_app.command("list")
def list_articles(
    ctx: typer.Context,
    source: Annotated[list[str] | None, typer.Option("--source", help="Only this outlet (repeatable).")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before this date.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonFlag = False,
) -> None:
    """Stored articles, newest first."""
    since_day, until_day, _ = option_window(since, until)
    runtime = runtime_from(ctx)
    follower = runtime.lexical_follower
    try:
        follower.catch_up_if_built()
        found = newest_articles(
            follower,
            sources=runtime.lexical.outlets_named(source).names if source else None,
            since=start_of(since_day),
            until=end_of(until_day),
            limit=limit,
            offset=offset,
        )
    except StoreError as exc:
        fail(str(exc), code="store_unavailable", as_json=as_json)
    if as_json:
        print_json(
            {"articles": [a.record() | {"chunks": a.chunk_count} for a in found], "limit": limit, "offset": offset}
        )
        return
    table = Table("id", "published", "outlet", "title", "chunks")
    for a in found:
        table.add_row(
            a.id,
            a.published_at.date().isoformat() if a.published_at else "",
            a.source or "",
            a.title,
            str(a.chunk_count),
        )
    console.print(table)


def _require_id(article_id: str, as_json: bool) -> None:
    """Refuse anything that is not an article id before touching the store."""
    if not ID_PATTERN.match(article_id):
        fail(
            f"{article_id!r} is not an article id (16 hex characters)", code="bad_request", as_json=as_json, exit_code=2
        )


@articles_app.command("show")
def show_article(
    ctx: typer.Context, article_id: Annotated[str, typer.Argument(metavar="ID")], as_json: JsonFlag = False
) -> None:
    """One article with its full text."""
    _require_id(article_id, as_json)
    try:
        article = runtime_from(ctx).store.get_article(article_id)
    except StoreError as exc:
        fail(str(exc), code="store_unavailable", as_json=as_json)
    if article is None:
        fail(f"no article {article_id}", code="not_found", as_json=as_json)
    if as_json:
        print_json(article.record(with_text=True) | {"chunks": article.chunk_count})
        return
    console.print(f"[bold]{article.title}[/]", highlight=False)
    meta = " · ".join(
        x
        for x in (
            article.source,
            ", ".join(article.authors),
            article.published_at.isoformat() if article.published_at else None,
            article.place,
        )
        if x
    )
    console.print(meta, style="dim", highlight=False)
    for url in article.urls:
        console.print(url, style="blue")
    console.print()
    console.print(article.text, highlight=False, markup=False)


@articles_app.command("delete")
def delete_article(
    ctx: typer.Context, article_id: Annotated[str, typer.Argument(metavar="ID")], as_json: JsonFlag = False
) -> None:
    """Remove an article and all its chunks."""
    _require_id(article_id, as_json)
    try:
        deleted = runtime_from(ctx).store.delete_article(article_id)
    except StoreError as exc:
        fail(str(exc), code="store_unavailable", as_json=as_json)
    if not deleted:
        fail(f"no article {article_id}", code="not_found", as_json=as_json)
    if as_json:
        print_json({"id": article_id, "status": "deleted"})
    else:
        console.print(f"deleted {article_id}")


def stats(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """How much the archive holds, where it lives, and the feeds polled into it."""
    runtime = runtime_from(ctx)
    settings = runtime.settings.ingest
    try:
        counts = runtime.store.count()
        follower = runtime.lexical_follower
        follower.catch_up_if_built()
        sources = outlet_counts(follower)
    except StoreError as exc:
        fail(str(exc), code="store_unavailable", as_json=as_json)
    document = {
        "articles": counts["articles"],
        "chunks": counts["chunks"],
        "sources": sources,
        "store": settings.chroma_url or str(settings.chroma_path),
        "embed_model": runtime.store.embed_model,
        "embed_backend": settings.embed_backend,
    }
    try:
        feeds = runtime.feeds.all()
    except sqlite3.Error as exc:
        fail(f"the feed state could not be read: {exc}", code="state_unavailable", as_json=as_json)
    now = time.time()
    document["feeds"] = [f.record(now).model_dump(mode="json") for f in feeds]
    if as_json:
        print_json(document)
        return
    for key in ("articles", "chunks", "store", "embed_model", "embed_backend"):
        console.print(f"[bold]{key}[/] {document[key]}", highlight=False)
    for name, n in sources.items():
        console.print(f"  {name}: {n}", highlight=False)
    if feeds:
        console.print("[bold]feeds[/]", highlight=False)
        print_feeds(feeds)
