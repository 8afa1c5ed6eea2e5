"""Where an ask spends its time: named stages, timed only while a caller records them.

The code marks its stages, ``@staged("diversity")`` on a function or ``with stage("encode"):`` around a
call; a caller that wants the figures (``bench/ask.py``, a profiling session) wraps the call::

    with recording_stages() as times:
        asker.ask(request)
    times.ms  # {"retrieve": 91.2, "retrieve > encode": 6.0, "retrieve > sentence scoring": 60.3, ...}

Stages nest: a stage entered inside another is keyed by its call path, and its time is part of its
parent's. Nothing is recorded outside ``recording_stages`` (a mark then costs one context-variable
lookup), and a recording sees only its own thread's work, so concurrent requests never mix.
The stage names are the public surface benchmarks read: renaming a function never renames a stage.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import TracebackType
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

PATH_SEPARATOR = " > "


@dataclass
class StageTimes:
    """What one recording saw: wall milliseconds and entries per stage path (inclusive of nested stages)."""

    ms: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    _open: list[str] = field(default_factory=list, repr=False)


class _TimedStage:
    """One entry of a stage while a recording is on."""

    __slots__ = ("times", "name", "path", "started")

    def __init__(self, times: StageTimes, name: str):
        self.times, self.name = times, name

    def __enter__(self) -> None:
        open_stages = self.times._open
        self.path = f"{open_stages[-1]}{PATH_SEPARATOR}{self.name}" if open_stages else self.name
        open_stages.append(self.path)
        self.started = time.perf_counter()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        elapsed_ms = (time.perf_counter() - self.started) * 1000
        times = self.times
        times._open.pop()
        times.ms[self.path] = times.ms.get(self.path, 0.0) + elapsed_ms
        times.calls[self.path] = times.calls.get(self.path, 0) + 1


_recording: ContextVar[StageTimes | None] = ContextVar("newsdesk_stage_times", default=None)
_NOT_RECORDING = nullcontext()


def stage(name: str) -> AbstractContextManager[None]:
    """Mark the code inside ``with stage(name):`` as a stage (timed only while recording)."""
    times = _recording.get()
    if times is None:
        return _NOT_RECORDING
    return _TimedStage(times, name)


def staged(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark every call of the decorated function as the stage ``name``."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def timed(*args: P.args, **kwargs: P.kwargs) -> R:
            with stage(name):
                return function(*args, **kwargs)

        return timed

    return decorate


@contextmanager
def recording_stages() -> Iterator[StageTimes]:
    """Record the stages entered (in this thread) until the block ends; yields what was recorded."""
    times = StageTimes()
    token = _recording.set(times)
    try:
        yield times
    finally:
        _recording.reset(token)
