"""A request's texts are embedded on their own onnxruntime session (one thread by default), with the same vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ingest.embedding import Embedder
from ingest.embedding.embedder import bundled_model_path

TEXTS = [
    "Who sent peacekeepers to Kazakhstan?",
    "Peacekeepers of the Russia-led Collective Security Treaty Organization were deployed.",
]


def test_questions_run_on_one_thread_and_get_the_vectors_ingest_would(model_cache: Path) -> None:
    embedder = Embedder(str(bundled_model_path()), "onnx-int8", model_cache, 32, 256, query_threads=1)

    assert embedder.query_threads == 1
    for text in TEXTS:  # one text per call: the same batch for both sessions
        np.testing.assert_allclose(embedder.encode([text]), embedder.encode_bulk([text]), atol=1e-6)


def test_zero_query_threads_shares_the_bulk_session(model_cache: Path) -> None:
    embedder = Embedder(str(bundled_model_path()), "onnx-int8", model_cache, 32, 256, query_threads=0)

    assert embedder.query_threads == 0
    np.testing.assert_array_equal(embedder.encode(TEXTS), embedder.encode_bulk(TEXTS))
