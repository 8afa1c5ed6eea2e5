"""``newsdesk feeds add|list|remove|run``: subscribe to RSS/Atom feeds and poll them into the archive."""

from __future__ import annotations

import logging
import signal
import sqlite3
import threading
import time
from datetime import UTC, datetime
from types import FrameType
from typing import Annotated, Any

import typer
from rich.markup import escape

from ingest.feeds import Feed, FeedError, FeedPoll, IntervalError, feed_ident, parse_every
from ingest.readers.safe_fetch import FetchError, RefusedAddress, check_url
from service.cli.output import console, errors, fail, print_json
from service.cli.state import runtime_from

feeds_app = typer.Typer(help="Feeds polled into the archive on a schedule.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


def _when(epoch: float | None) -> str:
    if epoch is None:
        return "never"
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@feeds_app.command("add")
def add_feed(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The feed's http(s) URL (RSS or Atom).")],
    every: Annotated[
        str | None, typer.Option("--every", help="How often to poll: 90s, 15m, 1h, 1d (default NEWSDESK_FEED_EVERY_S).")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Outlet name for every article of this feed.")] = None,
    fetch: Annotated[
        bool, typer.Option("--fetch", help="Fetch the full page of entries that carry only a summary.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Subscribe to a feed (polled at once by a running poller); adding it again changes its settings."""
    runtime = runtime_from(ctx)
    settings = runtime.settings.ingest
    unresolved = None
    try:
        # The poller refuses private addresses at every fetch; say so now, not at the first poll.
        check_url(url, settings)
    except RefusedAddress as exc:
        fail(str(exc), code="bad_request", as_json=as_json, exit_code=2)
    except FetchError as exc:
        unresolved = exc.reason  # the network may be down now: the poller keeps trying
    try:
        every_s = parse_every(every, settings.feed_min_every_s) if every else settings.feed_every_s
        feed, created = runtime.feeds.add(
            url, every_s=every_s, now=time.time(), source=source.strip() if source else None, fetch_pages=fetch
        )
    except (IntervalError, FeedError) as exc:
        fail(str(exc), code="bad_request", as_json=as_json, exit_code=2)
    except sqlite3.Error as exc:
        fail(f"the feed state could not be written: {exc}", code="state_unavailable", as_json=as_json)
    if as_json:
        print_json(feed.record(time.time()).model_dump(mode="json") | {"status": "created" if created else "updated"})
        return
    verb = "added" if created else "updated"
    console.print(f"{verb} feed [bold]{feed.id}[/] {escape(feed.url)} every {feed.every_s:g}s", highlight=False)
    if unresolved:
        console.print(f"[yellow]note:[/] {escape(unresolved)} (the poller will keep trying)", highlight=False)


@feeds_app.command("list")
def list_feeds(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Every feed with its last poll, last new article, last error and next poll."""
    try:
        feeds = runtime_from(ctx).feeds.all()
    except sqlite3.Error as exc:
        fail(f"the feed state could not be read: {exc}", code="state_unavailable", as_json=as_json)
    if as_json:
        now = time.time()
        print_json({"feeds": [f.record(now) for f in feeds]})
        return
    print_feeds(feeds)


def print_feeds(feeds: list[Feed]) -> None:
    """Each feed in a few lines (``feeds list`` and ``stats``): a table of nine columns breaks in a terminal."""
    if not feeds:
        console.print("no feeds (add one with: newsdesk feeds add URL)")
    for f in feeds:
        outlet = f" as {escape(f.source)}" if f.source else ""
        console.print(f"[bold]{f.id}[/] {escape(f.url)}{outlet}, every {f.every_s:g}s", highlight=False)
        console.print(
            f"  last poll {_when(f.last_poll_at)} · last new article {_when(f.last_new_article_at)}"
            f" · next poll {_when(f.next_poll_at)}",
            highlight=False,
        )
        line = f"  {f.polls} polls, {f.not_modified} not modified, {f.new_articles} new, {f.errors} errors"
        if f.consecutive_errors:
            line += f" ({f.consecutive_errors} in a row)"
        if f.last_error:
            line += f" · last error at {_when(f.last_error_at)}: {escape(f.last_error)}"
        console.print(line, highlight=False)


@feeds_app.command("remove")
def remove_feed(
    ctx: typer.Context,
    feed_id: Annotated[str, typer.Argument(metavar="ID_OR_URL", help="The feed's id, or the URL it was added with.")],
    as_json: JsonFlag = False,
) -> None:
    """Stop polling a feed (the articles it brought stay in the archive)."""
    try:
        feed_id = feed_ident(feed_id)
        removed = runtime_from(ctx).feeds.remove(feed_id)
    except FeedError as exc:
        fail(str(exc), code="bad_request", as_json=as_json, exit_code=2)
    except sqlite3.Error as exc:
        fail(f"the feed state could not be written: {exc}", code="state_unavailable", as_json=as_json)
    if not removed:
        fail(f"no feed {feed_id}", code="not_found", as_json=as_json)
    if as_json:
        print_json({"id": feed_id, "status": "removed"})
    else:
        console.print(f"removed feed {feed_id}")


def _report(polls: list[FeedPoll]) -> None:
    for poll in polls:
        if poll.status == "error":
            errors.print(
                f"[red]error[/] {poll.feed_id} {escape(poll.url)}: {escape(poll.error or '')}", highlight=False
            )
            continue
        if poll.status == "not_modified":
            console.print(f"{poll.feed_id} not modified", highlight=False)
            continue
        console.print(
            f"{poll.feed_id} {len(poll.created)} new, {len(poll.stored) - len(poll.created)} updated, "
            f"{poll.unchanged} unchanged, {len(poll.failures)} failed",
            highlight=False,
        )
        for failure in poll.failures:
            errors.print(f"  [red]failed[/] {escape(failure.origin)}: {escape(failure.reason or '')}", highlight=False)


@feeds_app.command("run")
def run_feeds(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Poll the feeds due now, then exit.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Poll feeds as they come due, until Ctrl-C or SIGTERM (or once, with --once).

    Several pollers (this command, `newsdesk serve --feeds`) may run on one machine: each feed is polled
    by one of them at a time. With --once the exit code is 1 if a feed or an entry failed.
    """
    runtime = runtime_from(ctx)
    poller = runtime.feed_poller()
    if once:
        try:
            polls = poller.poll_due()
        except sqlite3.Error as exc:
            fail(f"the feed state could not be read: {exc}", code="state_unavailable", as_json=as_json)
        failed = any(p.status == "error" or p.failures for p in polls)
        if as_json:
            print_json({"polls": [p.record() for p in polls]})
        elif not polls:
            console.print("no feed is due")
        else:
            _report(polls)
        if failed:
            raise typer.Exit(1)
        return
    logging.getLogger("ingest").setLevel(logging.INFO)
    stop = threading.Event()
    rounds: list[dict[str, Any]] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    if not as_json:
        console.print(f"polling feeds as {poller.name} (Ctrl-C stops)", highlight=False)

    def on_polls(polls: list[FeedPoll]) -> None:
        if as_json:
            rounds.extend(p.record() for p in polls)
        else:
            _report(polls)

    try:
        poller.run(stop, on_polls)
    except KeyboardInterrupt:
        stop.set()
    if as_json:
        print_json({"polls": rounds})
