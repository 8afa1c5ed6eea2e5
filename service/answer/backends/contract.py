"""What an LLM backend is: a function from the settings to a LangChain chat model, and the error it raises."""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.language_models import BaseChatModel

from service.settings import ServiceSettings

# A JSON reply (short answer, evidence numbers, one sentence); also bounds an abandoned in-process generation.
MAX_TOKENS = 256

ChatModelFactory = Callable[[ServiceSettings], BaseChatModel | None]
"""Builds the backend's chat model from the settings (``NEWSDESK_LLM_*``); None means no LLM at all."""


class LLMBackendError(ValueError):
    """The configured LLM backend cannot be built: an unknown name, a missing extra, a missing model file."""
