"""What the bot listens to: @mentions, direct messages, the slash command, the feedback buttons.

The app runs with ``process_before_response=False``: Bolt acknowledges an event to Slack at once
and runs these functions afterwards on its listener threads, so answering may take longer than
Slack's 3 seconds. The slash command acknowledges itself first thing, with an ephemeral "Looking…".

- ``app_mention`` in a channel: answered in that message's thread (a new thread on the message,
  or the thread it was posted in). The thread is a conversation: follow-ups there are read
  against its earlier turns.
- ``message`` in a channel thread the bot has answered in (``message.channels``, ``message.groups``,
  ``message.mpim``): a follow-up, answered in the thread without a new @mention. Messages that
  mention the bot are left to ``app_mention``; threads the bot never answered in are ignored.
- ``message`` in a DM (``message.im``): answered in the conversation (in its thread if it had one);
  the DM's main line is one conversation and each thread in it another.
- Left unanswered: a thread reply that @mentions someone else (``text.addressed_to_people``), and any
  message that is only thanks, assent or emoji ("thanks!", "ok 👍"; ``conversation/acknowledgements.py``).
- "new question" (or "start over", "reset") alone starts the conversation afresh; before a
  question, it asks that question afresh.
- ``/newsdesk QUESTION``: "Looking…" to the asker at once, then the answer through the command's
  ``response_url`` (visible to the channel, or only to the asker: ``NEWSDESK_SLACK_COMMAND_RESPONSE``).
  One-shot: it never reads the question against earlier ones.
- ``/newsdesk watch "TOPIC"``, ``/newsdesk watches``, ``/newsdesk unwatch ID``: the channel's topic
  alerts (``watch_commands.py``), answered in the acknowledgement itself (a quick SQLite write).
- ``feedback_up`` / ``feedback_down`` buttons: the verdict is recorded, the clicker thanked privately.

Never answered: the bot's own messages and other bots' (``bot_id``, ``bot_message``), edits,
deletions and other message subtypes, and any message already answered (``dedupe.py``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from service.conversation.acknowledgements import asks_nothing
from service.slack.answering import Asked, SlackAnswering, Via, looking, thread_conversation
from service.slack.blocks import FEEDBACK_UP, SlackMessage, render_notice
from service.slack.dedupe import EventDeduper
from service.slack.feedback import FeedbackStore
from service.slack.text import addressed_to_people, clean_question
from service.slack.watch_commands import is_watch_command, run_watch_command
from service.watches.store import WatchStore

log = logging.getLogger(__name__)

THANKS = {"up": "Thanks — glad it helped. 👍", "down": "Thanks — noted that this answer was not helpful. 👎"}
FEEDBACK_FAILED = "Sorry — I couldn't record your feedback just now. Please try again later."


def is_from_a_bot(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """The bot itself, or any other bot or integration."""
    return bool(
        event.get("bot_id")
        or event.get("bot_profile")
        or event.get("subtype") == "bot_message"
        or (bot_user_id and event.get("user") == bot_user_id)
    )


def mentions(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """Whether the message @mentions the bot (Slack then also sends it as ``app_mention``)."""
    return bool(bot_user_id) and f"<@{bot_user_id}" in str(event.get("text") or "")


def post(client: WebClient, channel: str, message: SlackMessage, thread_ts: str | None) -> bool:
    """``chat.postMessage``; if Slack refuses the blocks, the plain text still goes out.

    True when a message went out; failures are logged.
    """
    try:
        client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text=message.text,
            blocks=message.blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
        return True
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else None
        if error not in ("invalid_blocks", "invalid_blocks_format", "msg_too_long", "msg_blocks_too_long"):
            log.error("slack: chat.postMessage to %s (thread %s) failed: %s", channel, thread_ts, error or exc)
            return False
        log.error("slack: Slack refused the answer's blocks in %s (%s); posting the plain text instead", channel, error)
    except Exception as exc:  # noqa: BLE001 - Slack unreachable: say so in the log, nowhere else to say it
        log.error(
            "slack: chat.postMessage to %s (thread %s) failed: %s: %s", channel, thread_ts, type(exc).__name__, exc
        )
        return False
    try:
        client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=message.text, unfurl_links=False, unfurl_media=False
        )
        return True
    except Exception as exc:  # noqa: BLE001
        log.error("slack: posting the plain-text answer to %s failed too: %s: %s", channel, type(exc).__name__, exc)
        return False


def send_response(respond: Any, **message: Any) -> str | None:
    """Post to the request's ``response_url``; None when it worked, else what went wrong."""
    try:
        response = respond(**message)
    except Exception as exc:  # noqa: BLE001 - reported to the caller, which logs it
        return f"{type(exc).__name__}: {exc}"
    status = getattr(response, "status_code", 200)
    if status != 200:
        return f"HTTP {status}: {str(getattr(response, 'body', ''))[:200]}"
    return None


def register(
    app: App,
    answering: SlackAnswering,
    dedupe: EventDeduper,
    feedback: FeedbackStore,
    watches: WatchStore,
    command_response: str = "in_channel",
    alerts_per_hour: int = 6,
) -> None:
    """Attach the middleware and listeners to ``app``."""

    @app.middleware
    def drop_repeated_events(body: dict[str, Any], request: Any, next: Any) -> BoltResponse | None:
        """Slack's retries and second deliveries of an event are acknowledged and dropped."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not dedupe.claim(f"event:{event_id}"):
            retry = request.headers.get("x-slack-retry-num", [None])
            reason = request.headers.get("x-slack-retry-reason", [None])
            log.info(
                "slack: event %s already handled; dropping this delivery (retry %s, %s)",
                event_id,
                retry[0] if retry else None,
                reason[0] if reason else None,
            )
            return BoltResponse(status=200, body="")
        return next()

    def answer_message(
        event: dict[str, Any],
        client: WebClient,
        bot_user_id: str | None,
        via: Via,
        thread_ts: str | None,
        event_id: str | None,
        conversation: str,
    ) -> None:
        channel = event.get("channel")
        if not channel or not event.get("ts"):
            return
        if not dedupe.claim(f"message:{channel}:{event['ts']}"):
            log.info("slack: message %s in %s already answered; not answering twice", event["ts"], channel)
            return
        question = clean_question(event.get("text") or "", bot_user_id)
        if asks_nothing(question):
            log.info("slack: %r in %s asks nothing (thanks, assent, emoji); not answered", question[:40], channel)
            return
        asked = Asked(
            via=via,
            channel=channel,
            user=event.get("user"),
            thread_ts=thread_ts,
            event_id=event_id,
            conversation=conversation,
        )
        reply = answering.reply(question, asked)
        post(client, channel, reply.message, thread_ts)

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], body: dict[str, Any], client: WebClient, context: Any) -> None:
        if is_from_a_bot(event, context.bot_user_id):
            return
        thread_ts = event.get("thread_ts") or event.get("ts")
        conversation = thread_conversation(str(event.get("channel")), thread_ts)
        answer_message(event, client, context.bot_user_id, "mention", thread_ts, body.get("event_id"), conversation)

    @app.event("message")
    def on_message(event: dict[str, Any], body: dict[str, Any], client: WebClient, context: Any) -> None:
        if event.get("subtype") or is_from_a_bot(event, context.bot_user_id):
            return
        channel, thread_ts = str(event.get("channel")), event.get("thread_ts")
        if event.get("channel_type") == "im":
            answer_message(
                event,
                client,
                context.bot_user_id,
                "dm",
                thread_ts,
                body.get("event_id"),
                thread_conversation(channel, thread_ts),
            )
            return
        if not thread_ts or thread_ts == event.get("ts") or mentions(event, context.bot_user_id):
            return  # not in a thread, or an @mention (answered as app_mention)
        if not answering.continues(channel, thread_ts):
            return  # a thread the bot was never asked in: people talking among themselves
        if addressed_to_people(str(event.get("text") or ""), context.bot_user_id):
            return  # "@alice can you check this?": for a colleague, not the bot
        answer_message(
            event,
            client,
            context.bot_user_id,
            "thread",
            thread_ts,
            body.get("event_id"),
            thread_conversation(channel, thread_ts),
        )

    @app.command(re.compile(r"^/"))
    def on_command(ack: Any, command: dict[str, Any], respond: Any, context: Any) -> None:
        question = clean_question(command.get("text") or "", context.bot_user_id)
        if is_watch_command(question):
            try:
                done = run_watch_command(
                    question, command.get("channel_id"), command.get("user_id"), watches, alerts_per_hour
                )
            except Exception as exc:  # noqa: BLE001 - the state file failed: tell the user, log the detail
                log.error("slack: %r failed: %s: %s", question, type(exc).__name__, exc)
                ack(response_type="ephemeral", text="Sorry — I couldn't change this channel's watches just now.")
                return
            ack(response_type="in_channel" if done.in_channel else "ephemeral", **done.message.as_kwargs())
            return
        if not question:
            reply = answering.reply(
                "", Asked(via="command", channel=command.get("channel_id"), user=command.get("user_id"))
            )
            ack(response_type="ephemeral", text=reply.message.text)
            return
        ack(response_type="ephemeral", text=looking(question))
        reply = answering.reply(
            question, Asked(via="command", channel=command.get("channel_id"), user=command.get("user_id"))
        )
        visibility = command_response if reply.is_answer else "ephemeral"
        sent = send_response(
            respond,
            text=reply.message.text,
            blocks=reply.message.blocks,
            response_type=visibility,
            replace_original=False,
        )
        if sent is not None:  # an expired response_url (after 30 minutes): nowhere left to tell the user
            log.error(
                "slack: the answer to %s's %s could not be sent to its response_url: %s",
                command.get("user_id"),
                command.get("command"),
                sent,
            )

    @app.action(re.compile(r"^feedback_(up|down)$"))
    def on_feedback(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        ack()
        verdict = "up" if action.get("action_id") == FEEDBACK_UP else "down"
        user = (body.get("user") or {}).get("id") or "unknown"
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        try:
            feedback.record_click(
                str(action.get("value") or ""),
                user,
                verdict,  # type: ignore[arg-type]
                channel=channel,
                message_ts=message.get("ts") or (body.get("container") or {}).get("message_ts"),
                message_text=message.get("text"),
            )
            log.info("slack feedback %s from %s on %s", verdict, user, action.get("value"))
            text = THANKS[verdict]
        except Exception as exc:  # noqa: BLE001 - tell the user, log the detail
            log.error("slack: recording feedback %s from %s failed: %s: %s", verdict, user, type(exc).__name__, exc)
            text = FEEDBACK_FAILED
        problem = send_response(
            respond, text=render_notice(text).text, response_type="ephemeral", replace_original=False
        )
        if problem is not None:
            log.warning("slack: could not thank %s for feedback: %s", user, problem)

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> None:
        kind = body.get("type") if isinstance(body, dict) else None
        event = (body.get("event") or {}).get("type") if isinstance(body, dict) else None
        log.error(
            "slack: unhandled error in a listener (%s %s): %s: %s",
            kind,
            event or "",
            type(error).__name__,
            error,
            exc_info=error,
        )
