"""``NEWSDESK_LLM=openai``: any OpenAI-compatible endpoint through :class:`langchain_openai.ChatOpenAI`.

The endpoint is ``NEWSDESK_LLM_BASE_URL`` (Ollama ``http://127.0.0.1:11434/v1``, vLLM, llama.cpp's server,
llama-cpp-python's server, or OpenAI itself when unset), the model ``NEWSDESK_LLM_MODEL`` (``default`` when
unset; single-model servers ignore it), the key ``NEWSDESK_LLM_API_KEY``.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from service.answer.backends.contract import MAX_TOKENS
from service.settings import ServiceSettings


def openai_chat_model(settings: ServiceSettings) -> BaseChatModel:
    """A chat model over the configured OpenAI-compatible endpoint: no retries, greedy, bounded replies."""
    # Imported on use: the OpenAI client takes a moment to import, which other backends should not pay.
    from langchain_openai import ChatOpenAI

    # Local servers need no key, but the OpenAI client refuses to start without one.
    key = settings.llm_api_key or SecretStr("none")
    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model or "default",
        api_key=key,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        temperature=0,
        # ChatOpenAI's own name for the field (max_tokens is its alias, which type checkers do not see).
        max_completion_tokens=MAX_TOKENS,
    )
