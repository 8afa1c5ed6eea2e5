"""Errors meant for API clients, and the contract's error document ``{"error": {"code", "message"}}``.

Raised by the HTTP routes, the access checks and Slack's HTTP routes alike; ``service.http.errors``
turns them into responses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["CODES", "ApiError", "error_body"]

CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    """An error meant for the client: status, a stable ``code`` and a message for people."""

    def __init__(self, status: int, message: str, code: str | None = None, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.headers = dict(headers or {})


def error_body(code: str, message: str, details: Sequence[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """The contract's error document (``details`` lists field problems for 422s)."""
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = list(details)
    return {"error": error}
