"""HTTP mode: ``POST /slack/events`` (Bolt, signatures checked) and ``GET /v1/feedback``.

``slack_routes(runtime)`` returns a router for the FastAPI app. Without ``SLACK_BOT_TOKEN`` and
``SLACK_SIGNING_SECRET`` the Slack endpoint answers 503 with what is missing (the rest of the
app is unaffected); ``/v1/feedback`` works either way.

Requests go through Bolt's FastAPI (Starlette) adapter; its ``dispatch`` — signature check,
dedupe claim, the one-off ``auth.test``, waiting for the slash command's ``ack`` — is blocking,
so it runs on a worker thread instead of the event loop. Answers are worked out after the
response, on Bolt's listener threads.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from slack_bolt.adapter.fastapi import SlackRequestHandler
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response

from service.access.keys import AccessPolicy
from service.api_errors import ApiError, error_body
from service.runtime import Runtime
from service.slack.app import SlackBot, SlackNotConfigured, build_bot, feedback_store

log = logging.getLogger(__name__)


class ThreadedSlackRequestHandler(SlackRequestHandler):
    """Bolt's FastAPI handler, with the blocking ``dispatch`` moved off the event loop."""

    async def handle(self, req: Request, addition_context_properties: dict[str, Any] | None = None) -> Response:
        if req.method != "POST":
            return await super().handle(req, addition_context_properties)
        body = await req.body()
        bolt_request = to_bolt_request(req, body, addition_context_properties)
        bolt_response = await anyio.to_thread.run_sync(self.app.dispatch, bolt_request)
        if bolt_response.status == 401:  # the contract's error shape; Slack only looks at the status
            log.warning(
                "slack: refused a request whose signature did not verify (from %s)",
                req.client.host if req.client else "?",
            )
            return JSONResponse(
                error_body("unauthorized", "the Slack request signature or timestamp did not verify"), status_code=401
            )
        return to_starlette_response(bolt_response)


def configured_bot(runtime: Runtime) -> tuple[SlackBot | None, str]:
    """The HTTP-mode bot, or None and what is missing for it."""
    try:
        return build_bot(runtime), ""
    except SlackNotConfigured as exc:
        log.info("Slack HTTP mode is off: %s", exc)
        return None, str(exc)


def slack_routes(runtime: Runtime, configured: tuple[SlackBot | None, str] | None = None) -> APIRouter:
    """``POST /slack/events`` and ``GET /v1/feedback`` over ``runtime``.

    ``configured`` is ``configured_bot(runtime)`` when the caller needs the bot too (the app starts
    its topic alerts); without it the bot is built here.
    """
    router = APIRouter()
    bot, missing = configured if configured is not None else configured_bot(runtime)
    handler = ThreadedSlackRequestHandler(bot.app) if bot is not None else None
    feedback = feedback_store(runtime.settings)
    access: list[AccessPolicy] = []

    def require_read(request: Request) -> None:
        """The app's read rule (``NEWSDESK_PROTECT_READS``, API keys), as for every other read."""
        policy = getattr(request.app.state, "access", None)
        if policy is None:
            if not access:
                access.append(AccessPolicy(runtime.settings))
            policy = access[0]
        policy.check(request, write=False)

    @router.post(
        "/slack/events",
        name="slack_events",
        tags=["slack"],
        summary="Slack Events API, slash commands and interactivity (Bolt)",
    )
    async def slack_events(request: Request) -> Response:
        """Slack's requests, signature checked (401 when it does not verify)."""
        if handler is None:
            return JSONResponse(error_body("unavailable", f"Slack is not configured: {missing}"), status_code=503)
        return await handler.handle(request)

    @router.get(
        "/v1/feedback",
        tags=["feedback"],
        summary="Feedback given on the Slack bot's answers",
        dependencies=[Depends(require_read)],
    )
    def list_feedback(
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        verdict: Annotated[Literal["up", "down"] | None, Query(description="Only 👍 (up) or 👎 (down).")] = None,
        since: Annotated[date | None, Query(description="Given on or after this day (UTC).")] = None,
    ) -> dict[str, Any]:
        """Newest first: verdict, user, time, and the question, answer and citations it was given on."""
        start = datetime.combine(since, time(0, 0), tzinfo=UTC) if since else None
        try:
            found = feedback.list(limit=limit, verdict=verdict, since=start)
        except sqlite3.Error as exc:
            log.error("feedback list failed: %s", exc)
            raise ApiError(503, "the feedback records cannot be read right now") from None
        return {"feedback": found, "count": len(found)}

    return router
