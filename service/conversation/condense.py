"""Reading a follow-up with the configured LLM: a condense-question prompt, the heuristic as fallback.

The prompt is ``prompts/condense_system.txt`` + ``prompts/condense_user.txt`` (LangChain templates,
``{history}`` and ``{question}``). The earlier turns go in fenced as data (``<turn>`` blocks with
``<`` and ``>`` neutralised), so neither an answer quoting an article nor a question can steer
the model. A reply that is empty, several lines long, far longer than the question could need, no
question where a question was asked (an answer instead of a rewrite), late or a failure of any kind falls
back to the heuristic resolver; the reason is logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.prompts import ChatPromptTemplate

from service.answer.llm import describe_failure, with_deadline
from service.answer.prompts import neutralise
from service.conversation.followup import HeuristicResolver
from service.conversation.models import Turn
from service.conversation.resolution import Resolution, cited_before, is_reset

log = logging.getLogger(__name__)

# Turns given to the model, newest last: enough for pronouns two turns back, short enough to be fast.
HISTORY_TURNS = 3
_LABEL = re.compile(r"^\s*(?:standalone\s+question|question|rewritten)\s*:\s*", re.IGNORECASE)


class CondensingResolver:
    """Rewrites follow-ups with a chat model; the heuristic resolver handles resets and failures."""

    def __init__(
        self, chat_model: BaseChatModel, prompt: ChatPromptTemplate, fallback: HeuristicResolver, timeout_s: float
    ):
        self.chat_model = chat_model
        self.prompt = prompt
        self.fallback = fallback
        self.timeout_s = timeout_s
        self.name = "llm"

    def resolve(self, question: str, history: Sequence[Turn]) -> Resolution:
        """``question`` read against ``history`` (oldest first) by the model, else by the heuristic."""
        if not history or is_reset(question):
            return self.fallback.resolve(question, history)
        messages = self.prompt.format_messages(
            history=format_history(history[-HISTORY_TURNS:]), question=neutralise(question)
        )
        try:
            reply = with_deadline(lambda: self.chat_model.invoke(messages), self.timeout_s)
            standalone = _standalone_from(str(reply.content), question)
        except Exception as exc:  # noqa: BLE001 - any failure: the heuristic reads the follow-up instead
            log.warning(
                "condensing a follow-up with the LLM failed (%s); using the heuristic rewrite",
                describe_failure(exc, self.timeout_s),
            )
            return self.fallback.resolve(question, history)
        if standalone.strip().lower() == question.strip().lower():
            return Resolution(question, "standalone")
        return Resolution(standalone, "rewritten", cited_before(history, HISTORY_TURNS))


def format_history(turns: Sequence[Turn]) -> str:
    """The turns as fenced ``<turn>`` blocks: the question searched and the short answer (or the answer)."""
    blocks = []
    for turn in turns:
        answer = turn.short_answer or (turn.answer if turn.answered else "not found in the archive")
        blocks.append(
            f"<turn>\nQuestion: {neutralise(turn.standalone_question)}\nAnswer: {neutralise(answer[:400])}\n</turn>"
        )
    return "\n".join(blocks)


def _standalone_from(reply: str, question: str) -> str:
    """The model's rewrite, cleaned; ValueError when it is not one plausible question."""
    lines = [line.strip() for line in reply.strip().strip("`").splitlines() if line.strip()]
    if not lines:
        raise ValueError("empty rewrite")
    text = _LABEL.sub("", lines[0]).strip().strip('"“”').strip()
    if not text or len(text) > max(300, 4 * len(question)):
        raise ValueError("implausible rewrite")
    if question.rstrip().endswith("?") and not text.endswith("?"):
        # A small model often answers instead of rewriting ("Tyler Robinson", "in Tanzania").
        raise ValueError("the rewrite is no question")
    return text
