"""How commands speak: one JSON document with ``--json``, readable text otherwise, clear errors."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import Any, NoReturn

import typer
from rich.console import Console

console = Console()
errors = Console(stderr=True)


def _default(value: object) -> object:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot encode {type(value).__name__}")


def print_json(document: Any) -> None:
    """Print exactly one JSON document on stdout."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=_default) + "\n")
    sys.stdout.flush()


def fail(message: str, *, code: str = "error", as_json: bool = False, exit_code: int = 1) -> NoReturn:
    """Stop the command with a clear message (and the contract's error shape under ``--json``)."""
    if as_json:
        print_json({"error": {"code": code, "message": message}})
    errors.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(exit_code)
