"""What the ``Embedder`` runs underneath: one protocol, two kinds (onnxruntime alone, or sentence-transformers)."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np


class Encoder(Protocol):
    """Turns texts into unit-length vectors and exposes the model's own tokenizer."""

    #: A Hugging Face fast tokenizer or a ``tokenizers.Tokenizer``, untruncated (``Chunker`` sizes chunks with it).
    tokenizer: Any
    dimension: int

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, in the order given."""
        ...
