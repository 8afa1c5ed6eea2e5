"""``NEWSDESK_LLM=local``: the pinned Qwen2.5-Coder-Instruct GGUF that ``make local-llm`` assembled, in process.

``NEWSDESK_LOCAL_LLM_SIZE`` picks the 1.5B model (the default) or the 0.5B one; either runs through
:class:`~service.answer.backends.llamacpp.LlamaCppChatModel` with ``NEWSDESK_LLM_CONTEXT_TOKENS`` of context.
The model file must already be assembled under ``$NEWSDESK_DATA_DIR/models``: nothing is fetched at run time.
"""

from __future__ import annotations

import importlib.util

from langchain_core.language_models import BaseChatModel

from service.answer.backends.contract import LLMBackendError
from service.answer.backends.llamacpp import LLAMACPP_HINT, LlamaCppChatModel
from service.local_llm.catalog import LOCAL_MODELS
from service.settings import ServiceSettings


def local_chat_model(settings: ServiceSettings) -> BaseChatModel:
    """The assembled local model behind :class:`LlamaCppChatModel` (loaded on first use).

    :class:`LLMBackendError` at start, naming ``make local-llm``, when the model is not assembled.
    """
    model = LOCAL_MODELS[settings.local_llm_size]
    path = model.path_in(settings.ingest.model_cache_dir)
    if not path.is_file():
        raise LLMBackendError(
            f"NEWSDESK_LLM=local: the {model.size} model is not assembled ({path} is missing): "
            f"run `{model.make_command}` first"
        )
    # Only the size here: the sha256 was checked before the file was renamed into place, and hashing
    # 1.1 GB at every start would cost seconds. A truncated or replaced file still shows in its size.
    if path.stat().st_size != model.size_bytes:
        raise LLMBackendError(
            f"NEWSDESK_LLM=local: {path} is {path.stat().st_size:,} bytes, not the pinned {model.size_bytes:,}: "
            f"run `{model.make_command}` to assemble it again"
        )
    if importlib.util.find_spec("llama_cpp") is None:
        raise LLMBackendError(f"NEWSDESK_LLM=local needs llama-cpp-python: {LLAMACPP_HINT}")
    return LlamaCppChatModel(model_path=str(path), model_name=model.name, n_ctx=settings.llm_context_tokens)
