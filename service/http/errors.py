"""Every error leaves the server as ``{"error": {"code", "message"}}`` with a fitting status, never a traceback.

Handlers are installed for HTTP exceptions (``ApiError`` of ``service.api_errors``, and the
framework's), request validation, the archive being unreachable (503) and anything else (500,
logged with its traceback and a reference that the JSON body repeats). Human pages (``/`` and
``/c/...``) asked for by a browser get the same error as a small HTML page instead.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from ingest.store import StoreError, StoreUnavailable
from service.api_errors import CODES, ApiError, error_body
from service.conversation.chat import ConversationNotFound
from service.conversation.store import ConversationFull
from service.http.pages.render import error_page

# ApiError and error_body live in service.api_errors (Slack's routes raise them too); the HTTP
# modules keep taking them from here, next to the handlers that answer them.
__all__ = [
    "ApiError",
    "allowed_methods",
    "error_body",
    "error_response",
    "install_error_handlers",
    "is_page",
    "validation_details",
]

log = logging.getLogger(__name__)


def is_page(request: Request) -> bool:
    """A human page asked for by a browser: errors there are shown as HTML."""
    path = request.url.path
    if not (path == "/" or path.startswith("/c/")):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    headers: Mapping[str, str] | None = None,
    details: Sequence[Mapping[str, Any]] | None = None,
) -> Response:
    """The error as JSON, or as an HTML page for a browser on one of the human pages."""
    if is_page(request):
        return error_page(request, status, code, message, headers)
    return JSONResponse(error_body(code, message, details), status_code=status, headers=dict(headers or {}))


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(request, exc.status, exc.code, exc.message, exc.headers)


def _framework_message(request: Request, status: int, detail: object) -> str:
    if status == 404 and detail in (None, "Not Found"):
        return f"no such path: {request.url.path}"
    if status == 405 and detail in (None, "Method Not Allowed"):
        return f"{request.method} is not allowed on {request.url.path}"
    if isinstance(detail, str) and detail:
        return detail
    return CODES.get(status, "error").replace("_", " ")


# Methods probed when a 405 says which ones a path does serve.
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this request's path.

    The router answers 405 with the ``Allow`` of the first route whose path matched, so
    ``/v1/articles`` (GET and POST, two routes) would advertise only one of them. Each method is
    tried against the app's routes instead (mounted apps such as ``/static`` answer for themselves).
    """
    routes = [route for route in request.app.router.routes if not isinstance(route, Mount)]
    allowed = []
    for method in HTTP_METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in routes):
            allowed.append(method)
    return allowed


# FastAPI's 400 for a JSON body it cannot even decode: bytes that are not UTF-8 text, or nesting
# deeper than the parser goes. A JSON syntax error is a 422 "not valid JSON"; so are these.
BODY_PARSE_FAILURE = "There was an error parsing the body"


def _not_json_reason(cause: BaseException | None) -> str:
    if isinstance(cause, UnicodeError):
        return "the body is not valid JSON: it is not UTF-8 text"
    if isinstance(cause, RecursionError):
        return "the body is not valid JSON: it is nested too deeply"
    return "the body is not valid JSON"


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and exc.detail == BODY_PARSE_FAILURE:
        reason = _not_json_reason(exc.__cause__)
        return error_response(
            request, 422, "validation_error", f"body: {reason}", details=[{"field": "body", "message": reason}]
        )
    message = _framework_message(request, exc.status_code, exc.detail)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        methods = allowed_methods(request)
        if methods:
            # RFC 9110: Allow lists the methods the target resource supports, all of them.
            headers = {k: v for k, v in headers.items() if k.lower() != "allow"} | {"Allow": ", ".join(methods)}
    return error_response(request, exc.status_code, CODES.get(exc.status_code, "error"), message, headers)


def validation_details(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Field problems without echoing the input (which may be megabytes)."""
    details = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header"):
            where = loc[0]
            loc = loc[1:]
        else:
            where = ""
        if error.get("type") == "json_invalid":
            field, message = "body", "the body is not valid JSON"
        elif error.get("type") == "missing" and not loc and where == "body":
            field, message = "body", "a JSON body is required"
        else:
            field = ".".join(loc) or where or "request"
            message = str(error.get("msg", "invalid value"))
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
        details.append({"field": field, "message": message})
    return details


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = validation_details(exc.errors())
    message = "; ".join(f"{d['field']}: {d['message']}" for d in details) or "invalid request"
    return error_response(request, 422, "validation_error", message, details=details)


async def _store_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StoreError)
    log.warning("store error on %s %s: %s", request.method, request.url.path, exc)
    if isinstance(exc, StoreUnavailable):
        message = f"the archive cannot be reached right now; try again shortly ({exc})"
        code = "store_unavailable"
    else:
        message = f"the archive cannot serve this request right now ({exc})"
        code = "store_error"
    return error_response(request, 503, code, message, headers={"Retry-After": "5"})


async def _conversation_not_found(request: Request, exc: Exception) -> Response:
    return error_response(request, 404, "conversation_not_found", str(exc))


async def _conversation_full(request: Request, exc: Exception) -> Response:
    return error_response(request, 409, "conversation_full", str(exc))


async def _unexpected(request: Request, exc: Exception) -> Response:
    ref = uuid.uuid4().hex[:12]
    log.error("unhandled error %s on %s %s", ref, request.method, request.url.path, exc_info=exc)
    message = f"internal error (reference {ref}); the server log has the details"
    return error_response(request, 500, "internal_error", message)


def install_error_handlers(app: FastAPI) -> None:
    """Route every kind of failure to the contract's error shape."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(ConversationNotFound, _conversation_not_found)
    app.add_exception_handler(ConversationFull, _conversation_full)
    app.add_exception_handler(Exception, _unexpected)
