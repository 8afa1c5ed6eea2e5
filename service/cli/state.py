"""The one Runtime a CLI invocation shares between its steps."""

from __future__ import annotations

import typer

from service.answer.backends.contract import LLMBackendError
from service.cli.output import fail
from service.runtime import Runtime
from service.settings import ServiceSettings


def runtime_from(ctx: typer.Context) -> Runtime:
    """The invocation's Runtime, made from the environment on first use."""
    root = ctx.find_root()
    if not isinstance(root.obj, Runtime):
        try:
            root.obj = Runtime(ServiceSettings())
        except LLMBackendError as exc:
            fail(str(exc), code="bad_configuration", exit_code=2)
    return root.obj
