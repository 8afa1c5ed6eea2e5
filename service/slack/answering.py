"""From a question typed in Slack to the message that answers it (or says politely why not).

One place for what mentions, DMs and the slash command share: hints read and removed, the ask
API called, the answer recorded for feedback and rendered in Block Kit. Failures never escape:
they become a polite message, with the detail in the log (``errors.py``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Literal

from service.answer.ask import AskRequest
from service.answer.models import Answer
from service.conversation.chat import ChatQuestion
from service.conversation.store import ConversationFull
from service.runtime import Runtime
from service.slack.blocks import SlackMessage, escape, render_answer, render_notice
from service.slack.errors import report
from service.slack.feedback import FeedbackStore, new_key
from service.slack.hints import read_hints

log = logging.getLogger(__name__)

HELP = (
    "Ask me a question about the news archive, for example: “who sent peacekeepers to Kazakhstan?” "
    "Add “as of 2022-01-10” to read the archive as it stood on that day, or “from Reuters” to use one outlet."
)

Via = Literal["mention", "dm", "command", "thread"]

# Whose conversations these are in the shared store: no HTTP key fingerprint can match it.
SLACK_OWNER = "slack"


@dataclass(frozen=True)
class Asked:
    """Where a question came from."""

    via: Via
    channel: str | None
    user: str | None
    thread_ts: str | None = None
    event_id: str | None = None
    # The conversation this message continues (a channel or DM thread); None: one-shot (/newsdesk).
    conversation: str | None = None


def thread_conversation(channel: str, thread_ts: str | None) -> str:
    """The conversation key of a Slack thread (a DM's main line when ``thread_ts`` is None)."""
    return f"slack:{channel}:{thread_ts or 'main'}"


@dataclass(frozen=True)
class Reply:
    """The message to post; ``is_answer`` False for a notice (help, too long, a failure)."""

    message: SlackMessage
    is_answer: bool


class SlackAnswering:
    """Answers questions from Slack with the runtime's ask API."""

    def __init__(self, runtime: Runtime, feedback: FeedbackStore):
        self.runtime = runtime
        self.feedback = feedback

    @property
    def public_url(self) -> str:
        return self.runtime.settings.public_url

    def known_outlets(self) -> list[str]:
        """Outlets the archive holds (the lexical index's view)."""
        return self.runtime.lexical.sources()

    def continues(self, channel: str, thread_ts: str) -> bool:
        """Whether the bot answered in this thread, so that a reply there continues the conversation."""
        return self.runtime.conversations.get(thread_conversation(channel, thread_ts), SLACK_OWNER) is not None

    def reply(self, question: str, asked: Asked) -> Reply:
        """The reply to ``question`` (already cleaned of Slack markup)."""
        if not question:
            return Reply(render_notice(HELP), is_answer=False)
        limit = self.runtime.settings.max_question_chars
        if len(question) > limit:
            return Reply(
                render_notice(
                    f"That question is too long ({len(question):,} characters); please keep it under {limit:,}."
                ),
                is_answer=False,
            )
        where = {
            "via": asked.via,
            "channel": asked.channel,
            "user": asked.user,
            "thread": asked.thread_ts,
            "event": asked.event_id,
        }
        try:
            hints = read_hints(question, self.known_outlets())
            if not hints.question:
                return Reply(render_notice(HELP), is_answer=False)
            answer, sources, is_answer = self._ask(hints.question, hints.as_of, hints.sources or None, asked)
            if not is_answer:
                return Reply(render_notice(answer.answer), is_answer=False)
        except ConversationFull as exc:
            return Reply(render_notice(f"{exc} (a new thread starts one)."), is_answer=False)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a polite message and a log line
            failure = report(exc, where=where, question=question)
            return Reply(render_notice(failure.message), is_answer=False)
        log.info(
            "slack %s answered=%s citations=%d in %.0f ms (channel=%s user=%s)",
            asked.via,
            answer.answered,
            len(answer.citations),
            answer.timings_ms.get("total", 0),
            asked.channel,
            asked.user,
        )
        recorded = new_key()
        key: str | None = recorded
        try:
            self.feedback.record_answer(
                recorded, answer, sources=sources, channel=asked.channel, thread_ts=asked.thread_ts, asked_by=asked.user
            )
        except Exception as exc:  # noqa: BLE001 - the answer still goes out, without buttons that could not be recorded
            log.error(
                "slack: could not record the answer for feedback (%s: %s); posting it without buttons",
                type(exc).__name__,
                exc,
            )
            key = None
        message = render_answer(
            answer,
            self.public_url,
            feedback_key=key,
            sources=sources,
            asked_by=asked.user if asked.via == "command" else None,
        )
        return Reply(message, is_answer=True)

    def _ask(
        self, question: str, as_of: date | None, sources: list[str] | None, asked: Asked
    ) -> tuple[Answer, list[str], bool]:
        """The answer, in the message's conversation when it has one, the outlets it was limited to, and
        whether it answers at all (False: the conversation's own reply, as to "new question" alone)."""
        if asked.conversation is None:
            answer = self.runtime.asker.ask(AskRequest(question=question, as_of=as_of, sources=sources))
            return answer, sources or [], True
        chat = self.runtime.chat
        prepared = chat.prepare(
            ChatQuestion(
                question=question,
                conversation_id=asked.conversation,
                owner=SLACK_OWNER,
                as_of=as_of,
                sources=sources,
                start_if_unknown=True,
            )
        )
        if prepared.reply is not None:
            return chat.record(prepared, prepared.reply), [], False
        answer = chat.record(prepared, self.runtime.asker.ask(prepared.request))
        return answer, list(prepared.request.sources or []), True


def looking(question: str) -> str:
    """The slash command's immediate, ephemeral acknowledgement."""
    return f"Looking… _{escape(question[:300])}_"
