"""``newsdesk slack`` (the bot in Socket Mode) and ``newsdesk feedback list`` (👍/👎 given in Slack)."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import typer
from rich.markup import escape
from rich.table import Table

from service.cli.dates import option_date
from service.cli.malloc_arenas import limit_malloc_arenas
from service.cli.output import console, fail, print_json
from service.runtime import Runtime
from service.settings import ServiceSettings

feedback_app = typer.Typer(help="Feedback given on the Slack bot's answers.", no_args_is_help=True)


def slack(
    log_level: Annotated[str, typer.Option(help="Log level of newsdesk's own messages.")] = "info",
) -> None:
    """Answer in Slack over Socket Mode: needs SLACK_APP_TOKEN (xapp-…) and SLACK_BOT_TOKEN (xoxb-…).

    The model and the archive are loaded first; then the bot connects and answers @mentions, DMs and
    /newsdesk until Ctrl-C or SIGTERM. For HTTP mode instead, run `newsdesk serve` (POST /slack/events).
    """
    # Imported here: slack-bolt and slack_sdk take a while to import, which the other commands never need.
    from service.slack.app import SlackNotConfigured
    from service.slack.socket_mode import run

    level = logging.getLevelName(log_level.upper())
    if not isinstance(level, int):
        fail(f"unknown log level {log_level!r}", code="bad_request", exit_code=2)
    logging.getLogger("service").setLevel(level)
    logging.getLogger("slack_sdk").setLevel(logging.WARNING)
    settings = ServiceSettings()
    limit_malloc_arenas(settings.malloc_arenas)  # before Bolt's listener threads exist
    try:
        run(Runtime(settings))
    except SlackNotConfigured as exc:
        fail(str(exc), code="bad_configuration", exit_code=2)


@feedback_app.command("list")
def list_feedback(
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="At most this many, newest first.")] = 100,
    verdict: Annotated[str | None, typer.Option(help="Only 'up' (👍) or 'down' (👎).")] = None,
    since: Annotated[str | None, typer.Option(help="Given on or after this date.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Verdicts given with the 👍/👎 buttons, with the question, answer and citations they were given on."""
    from service.slack.app import feedback_store  # imported here: slack-bolt is slow to import, as above

    if verdict not in (None, "up", "down"):
        raise typer.BadParameter("must be 'up' or 'down'", param_hint="--verdict")
    start = option_date(since, "--since")
    if start is not None and start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    chosen: Literal["up", "down"] | None = verdict  # type: ignore[assignment]
    try:
        found = feedback_store(ServiceSettings()).list(limit=limit, verdict=chosen, since=start)
    except sqlite3.Error as exc:
        fail(f"the feedback records cannot be read: {exc}", code="unavailable", as_json=as_json)
    if as_json:
        print_json({"feedback": found, "count": len(found)})
        return
    if not found:
        console.print("no feedback yet")
        return
    table = Table("when", "verdict", "user", "question", "answer", "citations")
    for row in found:
        table.add_row(*_cells(row))
    console.print(table)


def _cells(row: dict[str, Any]) -> list[str]:
    when = row["at"] or ""
    try:
        when = datetime.fromisoformat(when).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        pass
    answer = row["short_answer"] or row["answer"] or ""
    return [
        when,
        "👍" if row["verdict"] == "up" else "👎",
        escape(row["user"] or ""),
        escape(row["question"] or "(not recorded)"),
        escape(answer[:120] + ("…" if len(answer) > 120 else "")),
        str(len(row["citations"])),
    ]
