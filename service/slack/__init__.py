"""newsdesk in Slack: @mentions, DMs and ``/newsdesk`` answered with cited answers (slack-bolt).

HTTP mode: ``slack_routes(runtime)`` gives the FastAPI router with ``POST /slack/events`` (and
``GET /v1/feedback``). Socket Mode: ``newsdesk slack`` (``socket_mode.run``).

Modules, one job each: ``app`` (the Bolt app from the settings), ``listeners`` (what the bot
answers), ``answering`` (question -> message), ``hints`` ("as of", "from OUTLET"), ``text``
(Slack markup -> question), ``blocks`` (Block Kit within Slack's limits), ``dedupe`` (retries),
``feedback`` (👍/👎 records), ``errors`` (polite messages, detailed logs), ``state`` (the SQLite
file), ``routes`` (HTTP mode), ``socket_mode``.

Imports are lazy here so ``service.http.app`` can import this package without a cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import APIRouter

    from service.runtime import Runtime


def slack_routes(runtime: Runtime) -> APIRouter:
    """The FastAPI router with ``POST /slack/events`` and ``GET /v1/feedback`` (see ``routes``)."""
    from service.slack.routes import slack_routes as make

    return make(runtime)


__all__ = ["slack_routes"]
