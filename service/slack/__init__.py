"""newsdesk in Slack: @mentions, DMs and ``/newsdesk`` answered with cited answers (slack-bolt).

HTTP mode: ``slack_routes(runtime)`` gives the FastAPI router with ``POST /slack/events`` (and
``GET /v1/feedback``). Socket Mode: ``newsdesk slack`` (``socket_mode.run``).

Modules, one job each: ``app`` (the Bolt app from the settings), ``listeners`` (what the bot
answers), ``answering`` (question -> message), ``hints`` ("as of", "from OUTLET"), ``text``
(Slack markup -> question), ``blocks`` (Block Kit within Slack's limits), ``dedupe`` (retries),
``feedback`` (👍/👎 records), ``errors`` (polite messages, detailed logs), ``state`` (the SQLite
file), ``routes`` (HTTP mode), ``socket_mode``, ``watch_commands`` (``/newsdesk watch``) and
``alerts`` (topic alerts posted as new stories are stored; the matching is ``service.watches``).

Slack's routes take access and error shapes from ``service.access`` and ``service.api_errors``, never
from ``service.http``, so ``service.http.app`` can mount them without an import circle.
"""

from __future__ import annotations

from service.slack.routes import slack_routes

__all__ = ["slack_routes"]
