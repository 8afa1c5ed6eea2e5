"""The Bolt app, built from the settings: tokens, signing secret, Slack Web API base URL.

- ``SLACK_BOT_TOKEN`` (``xoxb-``) is needed in both modes; ``SLACK_SIGNING_SECRET`` in HTTP mode
  (every request's signature is checked; there is no way to turn that off); ``SLACK_APP_TOKEN``
  (``xapp-``) in Socket Mode only.
- ``NEWSDESK_SLACK_API_URL`` replaces Slack's ``https://slack.com/api/`` (tests use a local fake).
- ``process_before_response=False``: Slack gets its acknowledgement at once and answers are
  worked out afterwards on the app's listener threads.
- The token is not checked with ``auth.test`` when the app is built (the server starts even if
  Slack is unreachable); Bolt calls it on the first request and remembers the bot's identity.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient

from service.access.loopback import is_loopback_url
from service.runtime import Runtime
from service.settings import ServiceSettings
from service.slack.answering import SlackAnswering
from service.slack.dedupe import EventDeduper
from service.slack.feedback import FeedbackStore
from service.slack.listeners import register
from service.slack.state import state_path
from service.watches.store import WatchStore

log = logging.getLogger(__name__)

SLACK_API_URL = "https://slack.com/api/"
LISTENER_THREADS = 4


class _QuietTokenNotice(logging.Filter):
    """Bolt notes that SLACK_BOT_TOKEN from the environment is unused when a client is given.

    That is as meant: the token is the client's.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("service.slack.bolt")
    if not any(isinstance(f, _QuietTokenNotice) for f in logger.filters):
        logger.addFilter(_QuietTokenNotice())
    return logger


class SlackNotConfigured(ValueError):
    """A setting the chosen mode needs is missing."""


def api_base_url(settings: ServiceSettings) -> str:
    """The Slack Web API base URL, ending in ``/`` as slack_sdk wants it."""
    url = (settings.slack_api_url or SLACK_API_URL).strip()
    return url if url.endswith("/") else url + "/"


def secret_value(value: object) -> str | None:
    text = value.get_secret_value() if hasattr(value, "get_secret_value") else value
    return (str(text).strip() or None) if text else None


def web_client(settings: ServiceSettings) -> WebClient:
    """A Web API client with the bot token, talking to ``api_base_url``."""
    token = secret_value(settings.slack_bot_token)
    if not token:
        raise SlackNotConfigured("SLACK_BOT_TOKEN is not set (the bot token, xoxb-…)")
    return WebClient(token=token, base_url=api_base_url(settings), logger=logging.getLogger("service.slack.web"))


@dataclass
class SlackBot:
    """The Bolt app and the state its listeners share."""

    app: App
    answering: SlackAnswering
    dedupe: EventDeduper
    feedback: FeedbackStore
    watches: WatchStore


def feedback_store(settings: ServiceSettings) -> FeedbackStore:
    """The feedback records of this data folder."""
    return FeedbackStore(state_path(settings))


def build_bot(runtime: Runtime, *, socket_mode: bool = False) -> SlackBot:
    """The Bolt app over ``runtime`` with its listeners, for HTTP mode (default) or Socket Mode."""
    settings = runtime.settings
    client = web_client(settings)
    signing_secret = secret_value(settings.slack_signing_secret)
    if not socket_mode and not signing_secret:
        raise SlackNotConfigured("SLACK_SIGNING_SECRET is not set: HTTP mode checks every request's signature with it")
    app = App(
        name="newsdesk",
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=not socket_mode,
        token_verification_enabled=False,
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="slack-listener"),
        logger=_bolt_logger(),
    )
    path = state_path(settings)
    feedback = FeedbackStore(path)
    bot = SlackBot(
        app=app,
        answering=SlackAnswering(runtime, feedback),
        dedupe=EventDeduper(path),
        feedback=feedback,
        watches=WatchStore(path, max_per_channel=settings.watches_per_channel),
    )
    register(
        app,
        bot.answering,
        bot.dedupe,
        bot.feedback,
        bot.watches,
        command_response=settings.slack_command_response,
        alerts_per_hour=settings.watch_alerts_per_hour,
    )
    if is_loopback_url(settings.public_url):
        log.warning(
            "NEWSDESK_PUBLIC_URL is %s: citation links in Slack will only open on this machine", settings.public_url
        )
    log.info(
        "slack bot ready (%s mode, Web API %s, state %s)",
        "socket" if socket_mode else "HTTP",
        api_base_url(settings),
        path,
    )
    return bot
