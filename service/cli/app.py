"""The ``newsdesk`` command: every subcommand takes ``--json`` and then prints one JSON document."""

from __future__ import annotations

import logging

import typer

from service.cli.archive_commands import articles_app, stats
from service.cli.ask_command import ask
from service.cli.eval_command import evaluate
from service.cli.feeds_command import feeds_app
from service.cli.ingest_command import ingest
from service.cli.llm_command import llm_app
from service.cli.reindex_command import reindex
from service.cli.search_command import search
from service.cli.serve_command import serve
from service.cli.slack_command import feedback_app, slack

app = typer.Typer(
    name="newsdesk",
    help="Answers questions about a news archive with citations a journalist can check.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command()(ingest)
app.command()(ask)
app.command()(search)
app.command()(stats)
app.command()(reindex)
app.command()(serve)
app.command(name="eval")(evaluate)
app.command()(slack)
app.add_typer(articles_app, name="articles")
app.add_typer(feedback_app, name="feedback")
app.add_typer(feeds_app, name="feeds")
app.add_typer(llm_app, name="llm")


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()
