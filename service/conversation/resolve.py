"""Which follow-up resolver the settings ask for: the condense-question LLM prompt when an LLM is
configured and ``condense`` is on (with the heuristic as its fallback), else the heuristic alone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from langchain_core.language_models import BaseChatModel

from service.answer.prompts import load_prompt
from service.conversation.condense import CondensingResolver
from service.conversation.followup import HeuristicResolver
from service.conversation.models import Turn
from service.conversation.resolution import Resolution
from service.settings import ServiceSettings


class FollowUpResolver(Protocol):
    """Reads a question against the conversation's earlier turns."""

    name: str

    def resolve(self, question: str, history: Sequence[Turn]) -> Resolution:
        """The question as it stands alone, and how it was read."""
        ...


def make_resolver(settings: ServiceSettings, chat_model: BaseChatModel | None) -> FollowUpResolver:
    """The configured resolver (``chat_model`` None, or ``settings.condense`` off: the heuristic)."""
    heuristic = HeuristicResolver()
    if chat_model is None or not settings.condense:
        return heuristic
    return CondensingResolver(
        chat_model, load_prompt("condense", settings.prompts_dir), heuristic, settings.llm_timeout_s
    )
