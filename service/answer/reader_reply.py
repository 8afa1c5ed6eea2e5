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
    """The reader's answer: a short answer and the numbers of the evidence sentences it rests on.

    The field descriptions are also the prompt's list of keys (:func:`reply_keys`), so what the model
    is told and what the grammar holds it to never differ.
    """

    short_answer: str = Field(
        description="the entity, number or date that answers the question, in a few words, copied exactly as "
        'it is written in an evidence sentence. Write "" (empty) if no evidence sentence answers the question.'
    )
    evidence: list[int] = Field(
        description="the numbers of the evidence sentences that state the short answer, for example [2]."
    )

    # For llama.cpp's grammar (service.answer.backends.json_object): a short answer is a few words, so the
    # reply always fits in the backends' MAX_TOKENS instead of being cut off into invalid JSON by a small
    # model that rambles.
    grammar_bounds: ClassVar[dict[str, dict[str, int]]] = {
        "short_answer": {"maxLength": 80},
        "evidence": {"maxItems": 3},
    }


class ReaderReplyWithSentence(ReaderReply):
    """The reader's answer with one sentence of its own, asked for only where it can be checked and kept.

    The sentence costs the most generated tokens of the reply (about 30 more: some 6 s for the local
    1.5B model on 2 cores), and a verbatim sentence of the evidence answers as well.
    """

    sentence: str | None = Field(default=None, description="one sentence answering the question, or null.")

    grammar_bounds: ClassVar[dict[str, dict[str, int]]] = {
        **ReaderReply.grammar_bounds,
        "sentence": {"maxLength": 300},
    }


def reply_keys(schema: type[BaseModel]) -> str:
    """The prompt's list of the keys of ``schema``, one ``- "name": description`` line each, in order."""
    return "\n".join(f'- "{name}": {field.description}' for name, field in schema.model_fields.items())


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
