"""The sentence-transformers encoder: full-precision torch, or ONNX models whose modules ``OnnxEncoder`` does not
reproduce. It imports torch, so it is loaded only for those."""

from __future__ import annotations

from typing import Any

import numpy as np


class SentenceTransformerEncoder:
    """A ``SentenceTransformer`` behind the ``Encoder`` protocol."""

    def __init__(self, model_path: str, max_tokens: int, **kwargs: Any):
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model_path, device="cpu", **kwargs)
        self._model.max_seq_length = max_tokens
        self.tokenizer = self._model.tokenizer
        self.dimension = int(self._model.get_embedding_dimension() or 384)

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, in the order given."""
        vectors = self._model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)
