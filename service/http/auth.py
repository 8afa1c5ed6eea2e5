"""The access policy (``service.access.keys``) as FastAPI dependencies of the routes."""

from __future__ import annotations

from fastapi import Request

__all__ = ["require_read", "require_write"]


def require_read(request: Request) -> None:
    """Dependency of every read endpoint."""
    request.app.state.access.check(request, write=False)


def require_write(request: Request) -> None:
    """Dependency of every write endpoint."""
    request.app.state.access.check(request, write=True)
