"""CPU per chunk of each ONNX file in the embedding export folder, on the same chunk inputs, alternated.

What ``newsdesk ingest`` embeds: the first ``--chunks`` embedding inputs (header + chunk) of the RealTime QA
development articles ``bench/ingest_speed.py`` selects, chunked by newsdesk's own chunker. Every file of the
export folder that exists is run through ``OnnxEncoder`` (batch 32, as ingest does), round after round in turn;
the least CPU-seconds of the rounds is reported per chunk (process CPU from ``getrusage``, so onnxruntime's
worker thread counts), with the smallest cosine of its vectors to the plain fp32 export's. ``--torch`` adds
sentence-transformers on the shipped weights (what the LangChain baseline runs).

Files: ``onnx/model.onnx`` (the ``onnx`` backend), ``onnx/model_fused.onnx`` (onnxruntime's transformer
fusions), the ``onnx-int8`` file (quantised from the fused graph), and ``onnx/model_qint8_avx512_vnni.onnx`` /
``model_quint8_avx2.onnx`` where an earlier version's export left sentence-transformers' int8 file, and
``model_fused_quint8_avx2.onnx`` where it left the AVX2 file of unsigned weights (newsdesk's before 2026-12-06).

Run from the project root: ``.venv/bin/python bench/onnx_graphs.py [--chunks 96] [--rounds 2] [--torch]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from ingest_speed import DEFAULT_DATASET, select_articles

from ingest.chunking import Chunker
from ingest.embedding.embedder import bundled_model_path
from ingest.embedding.onnx_encoder import OnnxEncoder
from ingest.embedding.onnx_export import FUSED_FILE, PLAIN_FILE, exported_onnx_dir, quantised_file
from ingest.models import ReadFailure
from ingest.pipeline import article_from_draft
from ingest.readers import read_sources
from ingest.settings import IngestSettings

Encode = Callable[[list[str]], np.ndarray]
LEGACY_INT8 = ("onnx/model_qint8_avx512_vnni.onnx", "onnx/model_quint8_avx2.onnx", "onnx/model_fused_quint8_avx2.onnx")


def cpu_seconds() -> float:
    """User + system CPU of this process, every thread included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def chunk_inputs(settings: IngestSettings, tokenizer: object, articles: int, limit: int) -> list[str]:
    """The first ``limit`` embedding inputs newsdesk's ingest makes of the selected articles."""
    chunker = Chunker(
        tokenizer,
        max_tokens=settings.embed_max_tokens,
        overlap_tokens=settings.chunk_overlap_tokens,
        header_max_tokens=settings.header_max_tokens,
    )
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "bench_gcs.jsonl"
        corpus.write_text("".join(json.dumps(line) + "\n" for line in select_articles(DEFAULT_DATASET, articles)))
        inputs: list[str] = []
        for item in read_sources([str(corpus)], settings):
            if isinstance(item, ReadFailure):
                continue
            article = article_from_draft(item)
            header = chunker.header(article)
            inputs += [chunker.embedding_input(header, c) for c in chunker.split(article)]
            if len(inputs) >= limit:
                break
    return inputs[:limit]


def encoders(folder: Path, with_torch: bool) -> dict[str, Encode]:
    """One encode function per model file present (and sentence-transformers with ``with_torch``)."""
    found: dict[str, Encode] = {}
    for name in (PLAIN_FILE, FUSED_FILE, quantised_file(), *LEGACY_INT8):
        if (folder / name).exists():
            encoder = OnnxEncoder(folder, name, max_tokens=256)
            found[name] = lambda texts, e=encoder: e.encode(texts, 32)  # type: ignore[misc]
    if with_torch:
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(bundled_model_path()), device="cpu")
        found["torch (sentence-transformers)"] = lambda texts: np.asarray(
            model.encode(texts, batch_size=32, normalize_embeddings=True)
        )
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Export (once, into ``--model-cache``), build the inputs, run every file in turn, print CPU per chunk."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chunks", type=int, default=96, help="embedding inputs (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds, every file once a round (default: %(default)s)")
    parser.add_argument("--torch", action="store_true", help="also sentence-transformers on torch")
    parser.add_argument("--model-cache", type=Path, help="the export folder's parent (default: a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        cache = args.model_cache or Path(scratch)
        settings = IngestSettings(_env_file=None, data_dir=Path(scratch) / "data", model_cache=cache)  # type: ignore[call-arg]
        folder = exported_onnx_dir(str(bundled_model_path()), settings.embed_cache_dir, quantised=True)
        plain = OnnxEncoder(folder, PLAIN_FILE, max_tokens=256)
        texts = chunk_inputs(settings, plain.tokenizer, 40, args.chunks)
        pieces = np.mean([len(e.ids) for e in plain.tokenizer.encode_batch(texts)])
        print(f"{len(texts)} chunk inputs, {pieces:.0f} word pieces on average; load average {os.getloadavg()[0]:.2f}")
        runs = encoders(folder, args.torch)
        reference = plain.encode(texts, 32)
        best: dict[str, float] = {}
        cosine: dict[str, float] = {}
        for _ in range(args.rounds):
            for name, encode in runs.items():
                before = cpu_seconds()
                vectors = encode(texts)
                spent = cpu_seconds() - before
                best[name] = min(best.get(name, spent), spent)
                cosine[name] = float(np.min(np.sum(vectors * reference, axis=1)))
        for name in runs:
            print(
                f"{name:<42} {1000 * best[name] / len(texts):7.1f} ms CPU a chunk"
                f"   smallest cosine to fp32 {cosine[name]:.4f}"
            )
        print(f"load average at the end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
