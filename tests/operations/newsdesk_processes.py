"""Helpers of the operations tests: the ``newsdesk serve`` harness of the HTTP tests, and polling."""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TypeVar

import pytest

PROJECT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def load_by_path(name: str, path: Path) -> ModuleType:
    """A helper module from another test folder (those folders are not packages)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


# ``newsdesk serve`` as a subprocess: the same harness the HTTP tests use.
live_server = load_by_path("newsdesk_operations_live_server", PROJECT / "tests" / "http" / "live_server.py")


def eventually(probe: Callable[[], T | None], bound_s: float, what: str) -> tuple[T, float]:
    """Poll ``probe`` until it returns something; the value and how long it took, or fail after ``bound_s``."""
    started = time.monotonic()
    while True:
        value = probe()
        elapsed = time.monotonic() - started
        if value is not None:
            return value, elapsed
        if elapsed > bound_s:
            pytest.fail(f"{what} did not happen within {bound_s:.0f} s")
        time.sleep(0.2)
