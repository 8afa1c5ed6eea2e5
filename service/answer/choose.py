"""Which answerer the settings ask for: extractive by default, an LLM with extractive fallback."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from ingest.embedding import Embedder
from service.answer.base import StreamingAnswerer
from service.answer.extractive import ExtractiveAnswerer
from service.answer.llm import LLMAnswerer
from service.answer.prompts import load_prompt
from service.settings import ServiceSettings


def make_answerer(
    settings: ServiceSettings, chat_model: BaseChatModel | None, embedder: Embedder | None = None
) -> StreamingAnswerer:
    """The configured answerer over ``chat_model`` (None: extractive).

    An LLM answerer falls back to the extractive one. With ``reader_sentence`` set, it is given the
    ``embedder`` and asks the model for a sentence of its own, kept where the citation check supports it.
    """
    extractive = ExtractiveAnswerer()
    if chat_model is None:
        return extractive
    prompt = load_prompt("reader", settings.prompts_dir)
    return LLMAnswerer(
        chat_model,
        fallback=extractive,
        timeout_s=settings.llm_timeout_s,
        prompt=prompt,
        budget_tokens=settings.reader_budget_tokens,
        embedder=embedder if settings.reader_sentence else None,
        check=load_prompt("reader_check", settings.prompts_dir) if settings.reader_check else None,
    )
