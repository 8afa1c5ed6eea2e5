"""The one Runtime a CLI invocation shares between its steps."""

from __future__ import annotations

import typer

from service.runtime import Runtime
from service.settings import ServiceSettings


def runtime_from(ctx: typer.Context) -> Runtime:
    """The invocation's Runtime, made from the environment on first use."""
    root = ctx.find_root()
    if not isinstance(root.obj, Runtime):
        root.obj = Runtime(ServiceSettings())
    return root.obj
