"""Progress on stderr: rich's live bar on a terminal, a plain line now and then everywhere else.

Rich draws nothing when stderr is not a terminal (``docker compose logs``, CI, ``2> file``), so a
30-minute ``newsdesk eval`` or a large ingest showed no sign of life there until it ended. Off a
terminal the commands get ``LineProgress`` instead: the same calls, printed as one line every
``every_s`` seconds and once at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TaskID, TextColumn, TimeElapsedColumn

#: Words one progress line from (completed, total, the task's fields): "asking 40/185".
Describe = Callable[[int, int | None, dict[str, Any]], str]

# Often enough to show a run is alive, rarely enough that a long one stays readable in a log.
LINE_EVERY_S = 30.0


class LineProgress:
    """The part of rich's ``Progress`` the commands use (one task), printed as plain lines."""

    def __init__(
        self,
        describe: Describe,
        console: Console,
        every_s: float = LINE_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ):
        """``describe(completed, total, fields)`` words one line ("asking 40/185")."""
        self.console = console
        self._describe = describe
        self._every_s = every_s
        self._clock = clock
        self._started = self._last = clock()
        self._completed = 0
        self._total: int | None = None
        self._fields: dict[str, Any] = {}
        self._printed: tuple[int, int | None, dict[str, Any]] | None = None

    def __enter__(self) -> LineProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._printed != self._state():
            self._print()

    def add_task(self, description: str, total: float | None = None, **fields: Any) -> TaskID:
        """Start the one task (``description`` is rich's; the line's words come from ``describe``)."""
        self._total = int(total) if total is not None else None
        self._fields = dict(fields)
        return TaskID(0)

    def update(
        self,
        task: TaskID,
        *,
        completed: float | None = None,
        total: float | None = None,
        advance: float | None = None,
        **fields: Any,
    ) -> None:
        """Record progress; print a line if ``every_s`` has passed since the last one."""
        if completed is not None:
            self._completed = int(completed)
        if advance is not None:
            self._completed += int(advance)
        if total is not None:
            self._total = int(total)
        self._fields.update(fields)
        if self._clock() - self._last >= self._every_s:
            self._print()

    def advance(self, task: TaskID, advance: float = 1) -> None:
        """One more item done."""
        self.update(task, advance=advance)

    def _state(self) -> tuple[int, int | None, dict[str, Any]]:
        return self._completed, self._total, dict(self._fields)

    def _print(self) -> None:
        self._last = self._clock()
        elapsed = int(self._last - self._started)
        line = self._describe(self._completed, self._total, self._fields)
        self.console.print(f"{line} ({elapsed // 60}:{elapsed % 60:02d})", highlight=False, markup=False)
        self._printed = self._state()


def progress_display(
    *columns: str | ProgressColumn,
    console: Console,
    describe: Describe,
) -> Progress | LineProgress:
    """Rich's transient bar of ``columns`` on a terminal; else ``LineProgress`` worded by ``describe``."""
    if console.is_terminal:
        return Progress(*columns, console=console, transient=True)
    return LineProgress(describe, console)


def counted(label: str, unit: str = "") -> Describe:
    """Words for a count: "asking 40/185", "reindexing 1200/26483 chunks"."""

    def describe(completed: int, total: int | None, fields: dict[str, Any]) -> str:
        count = f"{completed}/{total}" if total is not None else str(completed)
        return f"{label} {count}{' ' + unit if unit else ''}"

    return describe


def counting_display(label: str, unit: str = "", *, console: Console) -> Progress | LineProgress:
    """The display of a known number of items: "asking ━━━━ 40/185 0:01:23" on a terminal, "asking 40/185" off one."""
    columns = [TextColumn(label), BarColumn(bar_width=None), MofNCompleteColumn()]
    columns += [TextColumn(unit)] if unit else []
    return progress_display(*columns, TimeElapsedColumn(), console=console, describe=counted(label, unit))
