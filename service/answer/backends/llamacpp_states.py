"""The prompt states an in-process llama.cpp model keeps (llama-cpp-python's cache, bounded by count).

Imported only where ``llama_cpp`` is: it is the optional extra ``newsdesk[llamacpp]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_cpp import LlamaRAMCache


class RecentPromptStates(LlamaRAMCache):
    """llama-cpp-python's prompt cache, bounded to the ``max_states`` most recently used states.

    llama.cpp itself only reuses the start of the one prompt it read last. The reader's prompt and its
    check's share nothing after the chat template's first tokens, so each call read its whole system
    prompt again; with these states, a call restores the saved state whose prompt shares the longest
    start with its own and reads only the rest. The library's own bound counts llama.cpp state bytes
    and not the logits copied beside them (n_batch x vocabulary floats: about 300 MB a state for
    Qwen2.5's vocabulary), so the count is bounded here.
    """

    def __init__(self, max_states: int):
        super().__init__(capacity_bytes=1 << 40)
        self.max_states = max_states

    def __setitem__(self, key: Sequence[int], value: Any) -> None:
        super().__setitem__(key, value)
        while len(self.cache_state) > self.max_states:
            self.cache_state.popitem(last=False)
