"""Progress off a terminal: a long command logs a line now and then, and a last one, instead of staying silent."""

from __future__ import annotations

import io

from rich.console import Console
from rich.progress import Progress

from service.cli.progress import LineProgress, counted, progress_display


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def log_console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=False, width=200), out


def test_off_a_terminal_a_command_gets_plain_lines_and_on_one_the_live_bar() -> None:
    console, _ = log_console()
    assert isinstance(progress_display(console=console, describe=counted("asking")), LineProgress)
    terminal = Console(file=io.StringIO(), force_terminal=True)
    assert isinstance(progress_display(console=terminal, describe=counted("asking")), Progress)


def test_a_line_is_printed_every_interval_and_once_at_the_end() -> None:
    console, out = log_console()
    clock = FakeClock()
    with LineProgress(counted("asking"), console, every_s=30, clock=clock) as bar:
        task = bar.add_task("ask", total=185)
        for _ in range(40):
            clock.now += 1.0
            bar.advance(task)
    assert out.getvalue().splitlines() == ["asking 30/185 (0:30)", "asking 40/185 (0:40)"]


def test_the_last_line_is_not_repeated_when_nothing_moved_since() -> None:
    console, out = log_console()
    clock = FakeClock()
    with LineProgress(counted("reindexing", "chunks"), console, every_s=10, clock=clock) as bar:
        task = bar.add_task("reindex", total=None)
        clock.now = 10.0
        bar.update(task, completed=500, total=500)
    assert out.getvalue().splitlines() == ["reindexing 500/500 chunks (0:10)"]


def test_named_fields_word_the_line() -> None:
    console, out = log_console()
    describe = lambda _done, _total, fields: f"ingesting: {fields['done']} articles, {fields['chunks']} chunks"  # noqa: E731
    with LineProgress(describe, console, clock=FakeClock()) as bar:
        task = bar.add_task("ingest", total=None, done=0, chunks=0, current="loading model…")
        bar.update(task, done=3, chunks=41, current="samples/a.md")
    assert out.getvalue().strip() == "ingesting: 3 articles, 41 chunks (0:00)"
