"""A request's texts are embedded on their own onnxruntime session (one thread by default), with the same vectors."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ingest.cores import usable_cores
from ingest.embedding import Embedder
from ingest.embedding.embedder import bundled_model_path

TEXTS = [
    "Who sent peacekeepers to Kazakhstan?",
    "Peacekeepers of the Russia-led Collective Security Treaty Organization were deployed.",
]


def test_questions_run_on_one_thread_and_get_the_vectors_ingest_would(model_cache: Path) -> None:
    embedder = Embedder(str(bundled_model_path()), "onnx-int8", model_cache, 32, 256, query_threads=1)

    assert embedder.query_threads == 1
    assert embedder.turns.query_slots == usable_cores()  # one single-threaded call per core
    for text in TEXTS:  # one text per call: the same batch for both sessions
        np.testing.assert_allclose(embedder.encode([text]), embedder.encode_bulk([text]), atol=1e-6)


def test_zero_query_threads_shares_the_bulk_session(model_cache: Path) -> None:
    embedder = Embedder(str(bundled_model_path()), "onnx-int8", model_cache, 32, 256, query_threads=0)

    assert embedder.query_threads == 0
    assert embedder.turns.query_slots == 1  # a call that uses every core runs alone
    np.testing.assert_array_equal(embedder.encode(TEXTS), embedder.encode_bulk(TEXTS))


def test_questions_embedded_side_by_side_get_the_vectors_they_get_one_at_a_time(model_cache: Path) -> None:
    embedder = Embedder(str(bundled_model_path()), "onnx-int8", model_cache, 32, 256, query_threads=1, query_slots=2)
    texts = [f"{text} (asked {n} times)" for n in range(8) for text in TEXTS]
    alone = [embedder.encode([text]) for text in texts]

    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda text: embedder.encode([text]), texts))

    assert embedder.turns.query_slots == 2
    for one, other in zip(alone, together, strict=True):
        np.testing.assert_array_equal(one, other)
