"""Servers that tests and benchmarks start: a command run as a subprocess, ready when a URL answers or a
port listens, stopped by its PID (SIGTERM, then SIGKILL).

Every server listens on 127.0.0.1 only. What a process prints (stdout and stderr) goes to a log file, and
every failure quotes the end of that log, so a server that dies at start-up says why.

This one module serves both: benchmarks import it as ``launcher`` (bench/ is their script folder), tests
as ``bench.launcher`` (pytest puts the project root on sys.path: ``pythonpath`` in pyproject.toml). It
lives in bench/ rather than tests/ because benchmarks never import tests. It needs only the standard
library and httpx (a dependency of newsdesk itself).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType

import httpx

LOOPBACK = "127.0.0.1"
LOG_TAIL_CHARS = 4000

Probe = Callable[[], bool]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def offline_env(drop: Sequence[str] = ("NEWSDESK_",), **overrides: str) -> dict[str, str]:
    """This process's environment without variables starting with any of ``drop`` (the caller's own
    settings must not change what a test or benchmark sees), models offline, output unbuffered, plus
    ``overrides``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(tuple(drop))}
    env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1"})
    env.update(overrides)
    return env


def answers(url: str, accept: Callable[[httpx.Response], bool] | None = None) -> Probe:
    """A readiness probe: ``url`` answers 200 (and ``accept``, if given, likes the response)."""

    def probe() -> bool:
        try:
            response = httpx.get(url, timeout=2, trust_env=False)
            return response.status_code == 200 and (accept is None or accept(response))
        except (httpx.HTTPError, ValueError):  # not listening yet, or a body that is not JSON yet
            return False

    return probe


def listens(port: int, host: str = LOOPBACK) -> Probe:
    """A readiness probe: something accepts TCP connections on ``host:port``."""

    def probe() -> bool:
        with socket.socket() as s:
            s.settimeout(1)
            return s.connect_ex((host, port)) == 0

    return probe


class LaunchError(RuntimeError):
    """A launched process exited, or did not become ready in time; the message quotes its log's end."""


class Launched:
    """A subprocess whose output goes to a log file; ``stop`` ends it by its PID. A context manager."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        log_path: Path,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        name: str | None = None,
        append_log: bool = False,
    ):
        self.command = [str(part) for part in command]
        self.name = name or Path(self.command[0]).name
        self.log_path = log_path
        with log_path.open("ab" if append_log else "wb") as log:
            self.process = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT, env=dict(env) if env is not None else None, cwd=cwd
            )
        self.started = time.monotonic()

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def returncode(self) -> int | None:
        """The exit code once the process has ended (negative: the signal that ended it), else None."""
        return self.process.poll()

    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        """What the process has printed so far."""
        return self.log_path.read_text(errors="replace")

    def log_tail(self, chars: int = LOG_TAIL_CHARS) -> str:
        return self.log()[-chars:]

    def wait_until(self, ready: Probe, timeout: float, what: str = "become ready", every: float = 0.2) -> float:
        """Poll ``ready`` until it holds; the seconds since the start. If the process exits first, or
        ``timeout`` seconds pass (then it is stopped), raise ``LaunchError`` quoting the log's end."""
        deadline = time.monotonic() + timeout
        while True:
            ready_now = ready()
            # Alive is checked after the probe: a server of ours that already exited (say it could not
            # bind) is reported as exited, even when another process answers on that port.
            if not self.alive():
                raise LaunchError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            if ready_now:
                return time.monotonic() - self.started
            if time.monotonic() > deadline:
                self.stop()
                raise LaunchError(f"{self.name} did not {what} within {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(every)

    def wait_for_log(self, text: str, timeout: float = 300) -> float:
        """Wait until the log holds ``text`` (a process that says it is ready rather than listening)."""
        return self.wait_until(lambda: text in self.log(), timeout, what=f"log {text!r}")

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM to the PID and wait; SIGKILL if it has not ended after ``timeout`` s. The exit code."""
        if self.alive():
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode

    def __enter__(self) -> Launched:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def launch(
    command: Sequence[str],
    *,
    ready: Probe,
    timeout: float,
    log_path: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    name: str | None = None,
    append_log: bool = False,
) -> Launched:
    """Start ``command`` and return once ``ready`` holds (``answers(url)`` or ``listens(port)``).

    On exit or timeout the process is stopped and ``LaunchError`` raised with the end of its log.
    """
    launched = Launched(command, log_path=log_path, env=env, cwd=cwd, name=name, append_log=append_log)
    try:
        launched.wait_until(ready, timeout)
    except BaseException:
        launched.stop()
        raise
    return launched
