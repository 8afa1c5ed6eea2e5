"""Which LangChain chat model ``NEWSDESK_LLM`` names: every backend, registered here by name.

A backend is one module with a :data:`~service.answer.backends.contract.ChatModelFactory`; adding one is
that module plus one line in :data:`BACKENDS`. ``NEWSDESK_LLM`` picks the entry (``none`` by default: the
extractive answerer alone); the chat model serves both the LLM answerer and the follow-up rewrite.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from service.answer.backends.contract import ChatModelFactory, LLMBackendError
from service.answer.backends.llamacpp import llamacpp_chat_model
from service.answer.backends.local import local_chat_model
from service.answer.backends.openai_compatible import openai_chat_model
from service.settings import ServiceSettings


def no_chat_model(settings: ServiceSettings) -> None:
    """``NEWSDESK_LLM=none``: no LLM; the extractive answerer answers alone."""
    return None


BACKENDS: dict[str, ChatModelFactory] = {
    "none": no_chat_model,
    "openai": openai_chat_model,
    "llamacpp": llamacpp_chat_model,
    "local": local_chat_model,
}


def backend_factory(name: str) -> ChatModelFactory:
    """The factory registered as ``name``; :class:`LLMBackendError` listing the known names otherwise."""
    try:
        return BACKENDS[name]
    except KeyError:
        known = ", ".join(sorted(BACKENDS))
        raise LLMBackendError(f"unknown NEWSDESK_LLM {name!r}: the known backends are {known}") from None


def make_chat_model(settings: ServiceSettings) -> BaseChatModel | None:
    """The chat model ``settings.llm`` names, or None for ``none`` (the extractive answerer only)."""
    return backend_factory(settings.llm)(settings)
