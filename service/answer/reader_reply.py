"""What the reader model must reply, and how each backend is held to it.

The reply is JSON of :class:`ReaderReply`. It is enforced by the backend's own structured output, not
asked for politely:

- ``json_schema``: OpenAI's ``response_format={"type": "json_schema", ...}`` through LangChain's
  ``with_structured_output(method="json_schema")`` (OpenAI, vLLM, llama.cpp's ``llama-server``, Ollama);
  an in-process :class:`~service.answer.backends.llamacpp.LlamaCppChatModel` implements the same call
  with llama.cpp's grammar;
- ``json_object``: llama.cpp's dialect (:mod:`service.answer.backends.json_object`), for an
  OpenAI-compatible server that refuses ``json_schema`` (llama-cpp-python's own server).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import PydanticOutputParser
from langchain_core.runnables import Runnable
from pydantic import BaseModel, Field

from service.answer.backends.json_object import json_object_format

Dialect = Literal["json_schema", "json_object"]
_Reply = TypeVar("_Reply", bound=BaseModel)


class ReaderReply(BaseModel):
    """The reader's answer: a short answer, the numbers of the evidence sentences it rests on, one sentence."""

    short_answer: str = Field(
        description='The entity, number or date that answers the question, in a few words; "" when the '
        "evidence does not answer it."
    )
    evidence: list[int] = Field(description="The numbers of the evidence sentences that state the short answer.")
    sentence: str | None = Field(default=None, description="One sentence answering the question, or null.")

    # For llama.cpp's grammar (service.answer.backends.json_object): a short answer is a few words and one
    # sentence is one sentence, so the reply always fits in the backends' MAX_TOKENS instead of being cut
    # off into invalid JSON by a small model that rambles.
    grammar_bounds: ClassVar[dict[str, dict[str, int]]] = {
        "short_answer": {"maxLength": 80},
        "evidence": {"maxItems": 3},
        "sentence": {"maxLength": 300},
    }


def structured_reader(
    chat_model: BaseChatModel,
    dialect: Dialect = "json_schema",
    schema: type[_Reply] = ReaderReply,  # type: ignore[assignment]
) -> Runnable[Any, _Reply]:
    """``chat_model`` held to ``schema`` (the reader's reply unless told): invoking it gives a parsed reply or
    raises ``ValueError`` (invalid JSON, or JSON of another shape)."""
    if dialect == "json_object":
        bound = chat_model.bind(response_format=json_object_format(schema))
        return bound | PydanticOutputParser(pydantic_object=schema)
    return chat_model.with_structured_output(schema, method="json_schema")  # type: ignore[return-value]
