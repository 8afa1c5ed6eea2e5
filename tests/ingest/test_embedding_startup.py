"""The embedding model's start-up: the ONNX export is cached per user, and a cached export runs without torch."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ingest.embedding import Embedder
from ingest.embedding.onnx_encoder import OnnxEncoder
from ingest.embedding.onnx_export import exported_onnx_dir, onnx_file
from ingest.settings import IngestSettings

PROJECT = Path(__file__).resolve().parents[2]
# What `newsdesk ingest` never needs once the export is cached: each costs seconds to import.
HEAVY = ("torch", "transformers", "sentence_transformers", "sklearn", "spacy")


def test_a_fresh_data_folder_shares_the_users_model_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = IngestSettings(_env_file=None, data_dir=tmp_path / "one")  # type: ignore[call-arg]
    second = IngestSettings(_env_file=None, data_dir=tmp_path / "two")  # type: ignore[call-arg]
    assert first.embed_cache_dir == second.embed_cache_dir == tmp_path / "cache" / "newsdesk" / "models"
    # The local LLM stays where the README says it is assembled.
    assert first.model_cache_dir == tmp_path / "one" / "models"


def test_a_model_cache_setting_still_holds_the_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("NEWSDESK_MODEL_CACHE", str(tmp_path / "baked"))
    settings = IngestSettings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]
    assert settings.embed_cache_dir == settings.model_cache_dir == tmp_path / "baked"
    monkeypatch.setenv("NEWSDESK_EMBED_CACHE", str(tmp_path / "elsewhere"))
    assert IngestSettings(_env_file=None).embed_cache_dir == tmp_path / "elsewhere"  # type: ignore[call-arg]


def test_ingest_with_a_cached_export_loads_neither_torch_nor_spacy(model_cache: Path, embedder: Embedder) -> None:
    # The `embedder` fixture has exported the model into `model_cache`; a new process only reads it.
    probe = (
        "import sys, json; import service.cli.app; from pathlib import Path;"
        "from ingest.embedding import load_embedder; from ingest.settings import IngestSettings;"
        f"e = load_embedder(IngestSettings(_env_file=None, model_cache=Path({str(model_cache)!r})));"
        "v = e.encode(['Peacekeepers arrived in Almaty.']);"
        f"print(json.dumps({{'dim': int(v.shape[1]), 'loaded': [m for m in {HEAVY!r} if m in sys.modules]}}))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"dim": 384, "loaded": []}


@pytest.mark.slow
@pytest.mark.parametrize("quantised", [False, True], ids=["onnx", "onnx-int8"])
def test_onnxruntime_alone_gives_the_vectors_sentence_transformers_gives(model_cache: Path, quantised: bool) -> None:
    from sentence_transformers import SentenceTransformer

    from ingest.embedding.embedder import bundled_model_path

    folder = exported_onnx_dir(str(bundled_model_path()), model_cache, quantised=quantised)
    texts = ["Who sent peacekeepers to Kazakhstan?", "a", "Almaty, Jan 11 (Reuters) - " + "Troops withdrew. " * 120]
    texts += [f"Sentence number {i} about the tram line in Port Alden." for i in range(40)]
    ours = OnnxEncoder(folder, onnx_file(quantised), max_tokens=256).encode(texts, batch_size=16)
    model = SentenceTransformer(
        str(folder), device="cpu", backend="onnx", model_kwargs={"file_name": onnx_file(quantised)}
    )
    model.max_seq_length = 256
    theirs = model.encode(texts, batch_size=16, normalize_embeddings=True)
    assert ours.shape == theirs.shape == (len(texts), 384)
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


@pytest.mark.slow
def test_an_older_export_gains_the_fused_int8_model_without_torch(
    model_cache: Path, embedder: Embedder, tmp_path: Path
) -> None:
    # A cache written before the int8 model was built from the fused graph has no fused files: they are made
    # from its plain export by onnxruntime alone, once.
    from ingest.embedding.embedder import bundled_model_path

    exported = exported_onnx_dir(str(bundled_model_path()), model_cache, quantised=True)
    older = tmp_path / "cache"
    shutil.copytree(exported, older / exported.name, ignore=shutil.ignore_patterns("model_fused*"))
    probe = (
        "import sys, json; from pathlib import Path; from ingest.embedding.onnx_export import exported_onnx_dir;"
        "from ingest.embedding.embedder import bundled_model_path;"
        f"d = exported_onnx_dir(str(bundled_model_path()), Path({str(older)!r}), quantised=True);"
        f"print(json.dumps({{'dir': str(d), 'loaded': [m for m in {HEAVY!r} if m in sys.modules]}}))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["loaded"] == []
    folder = Path(report["dir"])
    assert (folder / onnx_file(True)).exists()
    texts = ["Who sent peacekeepers to Kazakhstan?", "Almaty, Jan 11 (Reuters) - " + "Troops withdrew. " * 120]
    texts += [f"Sentence number {i} about the tram line in Port Alden." for i in range(20)]
    int8 = OnnxEncoder(folder, onnx_file(True), max_tokens=256).encode(texts, batch_size=8)
    full = OnnxEncoder(folder, onnx_file(False), max_tokens=256).encode(texts, batch_size=8)
    # Quantised vectors point where the full-precision ones do (cosine; both are unit length).
    assert float(np.min(np.sum(int8 * full, axis=1))) > 0.97
