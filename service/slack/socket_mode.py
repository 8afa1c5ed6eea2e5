"""Socket Mode: the bot connects out to Slack over a WebSocket (no public URL needed).

Needs ``SLACK_APP_TOKEN`` (an app-level token, ``xapp-``, scope ``connections:write``) and
``SLACK_BOT_TOKEN``; the signing secret is not used (nothing comes in over HTTP). The same
listeners, dedupe and feedback records as HTTP mode; the Web API base URL (and so the URL the
socket is opened from, ``apps.connections.open``) comes from ``NEWSDESK_SLACK_API_URL``.
"""

from __future__ import annotations

import logging
import signal
import threading

from slack_bolt.adapter.socket_mode import SocketModeHandler

from ingest.store import StoreError
from service.background import STOP_TIMEOUT_S
from service.runtime import Runtime
from service.slack.alerts import start_alerts
from service.slack.app import SlackBot, SlackNotConfigured, build_bot, secret_value

log = logging.getLogger(__name__)


def socket_mode_handler(runtime: Runtime) -> tuple[SocketModeHandler, SlackBot]:
    """A Socket Mode handler for the bot over ``runtime`` (not connected yet), and the bot."""
    app_token = secret_value(runtime.settings.slack_app_token)
    if not app_token:
        raise SlackNotConfigured("SLACK_APP_TOKEN is not set (an app-level token, xapp-…, with connections:write)")
    bot = build_bot(runtime, socket_mode=True)
    return SocketModeHandler(bot.app, app_token=app_token, logger=logging.getLogger("service.slack.socket")), bot


def warm_up(runtime: Runtime) -> None:
    """Load the model, answerer and lexical index now, so the first question is not slow.

    An unreachable store does not stop the bot: it connects, and questions get the polite
    "can't reach the archive" message until the store is back.
    """
    log.info("loading the model and the archive")
    _ = runtime.embedder
    try:
        getattr(runtime.answerer, "nlp", None)
    except Exception as exc:  # noqa: BLE001 - shows again, with its message, on the first question
        log.warning("could not preload the answerer's language model: %s", exc)
    try:
        runtime.warm_up(wait_for_index=False)  # the follower thread started by run() builds or catches up
    except StoreError as exc:
        log.warning("the archive is not reachable at start (%s); connecting anyway", exc)


def run(runtime: Runtime, stop: threading.Event | None = None) -> None:
    """Connect and serve until ``stop`` is set, or Ctrl-C / SIGTERM; then disconnect cleanly."""
    handler, bot = socket_mode_handler(runtime)  # a missing token stops here, before anything loads
    warm_up(runtime)
    stop_alerts = start_alerts(bot, runtime)
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
    following = runtime.watch_store()  # other processes' writes reach this bot's lexical index
    log.info("connecting to Slack in Socket Mode")
    handler.connect()
    log.info("newsdesk is answering in Slack (Socket Mode); Ctrl-C stops")
    try:
        # Wake up now and then: a signal that lands on another thread only runs its Python
        # handler once the main thread executes again, which a bare wait() never does.
        while not stop.wait(0.5):
            pass
    finally:
        log.info("disconnecting from Slack")
        stop_alerts.signal()
        following.signal()
        handler.close()
        stop_alerts.stop(STOP_TIMEOUT_S)
        following.stop(STOP_TIMEOUT_S)
