"""Sentence embeddings from an exported ONNX model with onnxruntime and the Rust tokenizer alone.

Importing sentence-transformers pulls in torch, transformers, scikit-learn and SciPy: about 11 CPU-seconds
on these 2 cores, more than a third of a 150-article ``newsdesk ingest``, for a forward pass that
onnxruntime runs on its own. So once the model is exported (``onnx_export``), this runs it directly:
tokenize (``tokenizers``), the ONNX graph (``onnxruntime``), mean pooling over the attention mask and
L2 normalisation, the same steps as sentence-transformers' Transformer → Pooling(mean) → Normalize
(``tests/ingest/test_onnx_encoder.py`` checks the vectors agree). Models with any other module chain
(CLS or max pooling, a Dense layer) are left to sentence-transformers: ``OnnxEncoder.handles`` says which.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

# The sentence-transformers modules this encoder reproduces (by class name: the dotted path moved between versions).
_PLAIN_CHAIN = {"Transformer", "Pooling", "Normalize"}


def _is_mean_pooling(config: dict[str, Any]) -> bool:
    """Both spellings of sentence-transformers' pooling config: ``pooling_mode`` (5.x) and the boolean flags."""
    if "pooling_mode" in config:
        return config["pooling_mode"] == "mean"
    flags = {k: v for k, v in config.items() if k.startswith("pooling_mode_")}
    return flags.get("pooling_mode_mean_tokens") is True and sum(bool(v) for v in flags.values()) == 1


class OnnxEncoder:
    """Mean-pooled, unit-length embeddings from ``model.onnx`` (or its int8 file) in an export folder."""

    def __init__(self, model_dir: Path, file_name: str, max_tokens: int, threads: int = 0):
        """``threads``: onnxruntime's intra-op threads for one call (0: its default, one per core)."""
        self.max_tokens = max_tokens
        # The tokenizer.json of this model family pins truncation to 128 and pads every input to 128: both are
        # replaced here (truncation at the window, padding done per batch below).
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=max_tokens)
        #: An untruncated tokenizer for sizing chunks (``Chunker`` takes a ``tokenizers.Tokenizer``).
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self._pad_id = self._tokenizer.token_to_id(_pad_token(model_dir)) or 0
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # onnxruntime's worker threads spin after each run, waiting for the next: in a server whose other
        # threads (spaCy, Chroma, the next request) need the same two cores, that spinning took as much CPU as
        # the model itself (a question's embeddings with Python work between them: 8.1-8.5 CPU-s spinning,
        # 4.4-4.9 not, and less wall time too, under a load average of 6). So they sleep instead.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.intra_op_num_threads = threads
        self._session = ort.InferenceSession(
            str(model_dir / file_name), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.dimension = int(self._session.get_outputs()[0].shape[-1])

    @property
    def threads(self) -> int:
        """The intra-op threads onnxruntime was given for this session (0: one per core)."""
        return int(self._session.get_session_options().intra_op_num_threads)

    @staticmethod
    def handles(model_dir: Path) -> bool:
        """Whether the export folder holds a Transformer → mean Pooling (→ Normalize) model with a tokenizer.json."""
        try:
            modules = json.loads((model_dir / "modules.json").read_text())
            kinds = [str(m["type"]).rsplit(".", 1)[-1] for m in modules]
            pooling = next(m for m in modules if str(m["type"]).endswith("Pooling"))
            config = json.loads((model_dir / pooling["path"] / "config.json").read_text())
        except (OSError, ValueError, KeyError, StopIteration):
            return False
        return (
            set(kinds) <= _PLAIN_CHAIN
            and kinds[:2] == ["Transformer", "Pooling"]
            and _is_mean_pooling(config)
            and (model_dir / "tokenizer.json").exists()
        )

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, in the order given."""
        encodings = self._tokenizer.encode_batch(texts)
        # Longest text first, exactly as sentence-transformers orders them: each batch pads to similar lengths,
        # and int8 activations (quantised per batch) see the same batches, so the vectors match its own.
        order = [int(i) for i in np.argsort([-len(t) for t in texts])]
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._embed([encodings[i] for i in rows])
        return out

    def _embed(self, encodings: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feed)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)


def _pad_token(model_dir: Path) -> str:
    """The model's padding token as its tokenizer config names it (``[PAD]`` for BERT-style models)."""
    for name in ("special_tokens_map.json", "tokenizer_config.json"):
        try:
            value = json.loads((model_dir / name).read_text()).get("pad_token")
        except (OSError, ValueError):
            continue
        if isinstance(value, dict):
            value = value.get("content")
        if isinstance(value, str) and value:
            return value
    return "[PAD]"
