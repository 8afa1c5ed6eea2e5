"""Asking within a conversation: read the question against the earlier turns, ask, remember the turn.

``Chat.ask`` is the whole flow; servers that stream use its two halves, ``prepare`` (load the
conversation, resolve the follow-up, carry the filters over) and ``record`` (store the turn and
stamp the Answer with ``conversation_id`` and ``standalone_question``), around their own asking.

Filters carry over: a follow-up is asked as of the same date and over the same outlets and dates
as the turn before it, unless it sets its own. A question that stands alone starts afresh in
its retrieval (no weight on earlier citations) but keeps the filters; "new question" drops both.
"New question" on its own is a turn too: nothing is searched, the conversation replies ``AFRESH``
(``PreparedTurn.reply``) and records where its fresh start is, so the next question in the same
thread or conversation is read on its own. Thanks or assent ("thanks!", "ok") gets a reply the
same way (``NOTHING_ASKED``), and is never read as a fragment of the last question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from service.answer.ask import Asker, AskRequest
from service.answer.models import Answer
from service.conversation.acknowledgements import asks_nothing
from service.conversation.models import Conversation, Turn
from service.conversation.resolution import Resolution
from service.conversation.resolve import FollowUpResolver
from service.conversation.store import ConversationStore, new_conversation_id
from service.retrieval.window import Day

AFRESH = "Starting afresh: ask your next question here and I won't read it against the earlier ones."
NOTHING_ASKED = "Nothing to look up there: ask a follow-up, or a new question, whenever you like."


class ConversationNotFound(LookupError):
    """No conversation with this id: never made, expired, or made with another key."""


@dataclass
class ChatQuestion:
    """A question, the conversation it belongs to, and the filters the asker set (None: carry over)."""

    question: str
    conversation_id: str | None = None
    owner: str = ""
    as_of: Day | None = None
    sources: Sequence[str] | None = None
    since: Day | None = None
    until: Day | None = None
    k: int = 8
    # Slack threads: the thread's key names the conversation before its first turn exists.
    start_if_unknown: bool = False


@dataclass
class PreparedTurn:
    """A question made ready to ask: the request to run and what to remember of it."""

    conversation_id: str
    owner: str
    question: str
    resolution: Resolution
    request: AskRequest
    as_of_requested: Day | None
    history: list[Turn] = field(default_factory=list)
    # The conversation's own reply when there is nothing to ask ("new question" alone, "thanks!"): no answerer runs.
    reply: Answer | None = None


class Chat:
    """Conversations over the ask API."""

    def __init__(self, asker: Asker, store: ConversationStore, resolver: FollowUpResolver):
        self.asker = asker
        self.store = store
        self.resolver = resolver

    def conversation(self, conversation_id: str, owner: str) -> Conversation:
        """The conversation, or ``ConversationNotFound``."""
        found = self.store.get(conversation_id, owner)
        if found is None:
            raise _not_found(conversation_id)
        return found

    def prepare(self, asked: ChatQuestion) -> PreparedTurn:
        """Resolve ``asked`` in its conversation (raises ``ConversationNotFound``, ``ConversationFull``)."""
        conversation: Conversation | None = None
        if asked.conversation_id is not None:
            conversation = self.store.get(asked.conversation_id, asked.owner)
            if conversation is None and not asked.start_if_unknown:
                raise _not_found(asked.conversation_id)
            self.store.check_room(conversation)
        conversation_id = asked.conversation_id or new_conversation_id()
        history = since_last_reset(conversation.turns if conversation else [])
        # Thanks or assent asks nothing: it is never read as a fragment of the last question.
        thanks = asks_nothing(asked.question)
        resolution = Resolution("", "standalone") if thanks else self.resolver.resolve(asked.question, history)
        last = history[-1] if history and resolution.form != "reset" else None
        as_of = asked.as_of if asked.as_of is not None else _day(last.as_of_requested if last else None)
        request = AskRequest(
            question=resolution.standalone,
            as_of=as_of,
            sources=asked.sources if asked.sources is not None else (last.sources if last else None),
            since=asked.since if asked.since is not None else _day(last.since if last else None),
            until=asked.until if asked.until is not None else _day(last.until if last else None),
            k=asked.k,
            context_articles=resolution.context_articles if resolution.follow_up else (),
            context=resolution.topic if resolution.follow_up else None,
            already_said=_already_said(resolution, history) if resolution.follow_up else (),
            asked=asked.question if resolution.follow_up else None,
        )
        reply = None
        if thanks:
            reply = _reply(asked.question, NOTHING_ASKED, as_of)
        elif resolution.form == "reset" and not resolution.standalone:
            reply = _reply(asked.question, AFRESH, as_of)
        return PreparedTurn(conversation_id, asked.owner, asked.question, resolution, request, as_of, history, reply)

    def record(self, prepared: PreparedTurn, answer: Answer) -> Answer:
        """Remember the turn and stamp ``answer`` with the conversation (in place; also returned)."""
        request = prepared.request
        turn = Turn(
            n=0,
            asked_at=datetime.now(UTC).isoformat(timespec="seconds"),
            question=prepared.question,
            standalone_question=prepared.resolution.searched if prepared.resolution.follow_up else request.question,
            follow_up=prepared.resolution.follow_up,
            starts_afresh=prepared.resolution.form == "reset",
            answer=answer.answer,
            short_answer=answer.short_answer,
            answered=answer.answered,
            citations=answer.citations,
            answerer=answer.answerer,
            notes=answer.notes,
            as_of=answer.as_of,
            as_of_requested=_iso(prepared.as_of_requested),
            sources=list(request.sources) if request.sources else None,
            since=_iso(request.since),
            until=_iso(request.until),
        )
        self.store.append(prepared.conversation_id, prepared.owner, turn)
        answer.question = prepared.question
        answer.conversation_id = prepared.conversation_id
        answer.standalone_question = turn.standalone_question or None  # None: nothing was searched
        return answer

    def ask(self, asked: ChatQuestion) -> Answer:
        """Answer ``asked`` in its conversation and remember the turn."""
        prepared = self.prepare(asked)
        answer = prepared.reply if prepared.reply is not None else self.asker.ask(prepared.request)
        return self.record(prepared, answer)


def _already_said(resolution: Resolution, history: Sequence[Turn]) -> tuple[str, ...]:
    """What a follow-up's answer must not merely repeat: the question searched, the last one, and
    the answers given since the topic was asked. "What about X?" is held to it too: the same
    answer again is rarer than the same story's passages naming the earlier answer again (dev
    follow-ups: 2 right answers gained, none lost, 2026-12-06)."""
    said = [resolution.searched, history[-1].standalone_question] if history else [resolution.searched]
    topic_at = max((i for i, t in enumerate(history) if not t.follow_up), default=0)
    said += [t.short_answer for t in history[topic_at:] if t.answered and t.short_answer]
    return tuple(said)


def _reply(question: str, text: str, as_of: Day | None) -> Answer:
    """The conversation's own reply to a message that asks nothing ("new question", "thanks!"): nothing is searched."""
    day = as_of if as_of is not None else datetime.now(UTC)
    day = day.date() if isinstance(day, datetime) else day
    return Answer(question=question, answer=text, answered=False, as_of=day.isoformat(), answerer="none")


def since_last_reset(turns: Sequence[Turn]) -> list[Turn]:
    """The turns a follow-up may refer to: those since the last "new question", less a bare one (it asked nothing)."""
    start = max((i for i, t in enumerate(turns) if t.starts_afresh), default=0)
    return [t for t in turns[start:] if t.standalone_question]


def _not_found(conversation_id: str) -> ConversationNotFound:
    return ConversationNotFound(
        f"no conversation {conversation_id!r}: it never existed, has expired, or belongs to another API key"
    )


def _iso(value: Day | None) -> str | None:
    return value.isoformat() if value is not None else None


def _day(value: str | None) -> Day | None:
    if not value:
        return None
    return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
