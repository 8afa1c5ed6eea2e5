"""Request limits: body size (413), question length (422); k's range is ``service/retrieval/limits.py``'s.

The body limit is a plain ASGI middleware so it applies before anything reads the body: a
``Content-Length`` over the limit is refused at once, and a body sent without one (chunked) is
counted as it arrives and cut off at the limit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.http.errors import error_body

MAX_SOURCES = 20
MAX_LIST_LIMIT = 500


def too_large_message(limit: int) -> str:
    """What a client whose body is too large is told."""
    return f"the request body is larger than {limit:,} bytes"


class BodySizeLimit:
    """Refuse request bodies over ``default`` bytes (``per_route[(method, path)]`` where given)."""

    def __init__(self, app: ASGIApp, default: int, per_route: Mapping[tuple[str, str], int] | None = None):
        self.app = app
        self.default = default
        self.per_route = dict(per_route or {})

    def limit_for(self, scope: Scope) -> int:
        """The byte limit for this request."""
        return self.per_route.get((scope.get("method", ""), scope.get("path", "")), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Raised inside the endpoint's body read; the HTTP error handler answers 413.
                    raise HTTPException(413, too_large_message(limit))
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps(error_body("payload_too_large", too_large_message(limit))).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
