"""The one-off ONNX export (and int8 quantisation) of a sentence-transformers model, cached on disk.

Exporting takes sentence-transformers, optimum and torch (about 10 s and 12 CPU-seconds of imports), so it
runs once per model, CPU kernel set and cache folder; every later process only reads the files. The cache is
per user by default (``IngestSettings.embed_cache_dir``), so a fresh data folder does not export again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import platform
import shutil
import warnings
from pathlib import Path

log = logging.getLogger(__name__)

PLAIN_FILE = "onnx/model.onnx"


def quantisation_config() -> str:
    """The int8 kernel set this CPU runs best: VNNI where present, else AVX2, else ARM64."""
    if platform.machine().lower() in {"aarch64", "arm64"}:
        return "arm64"
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        flags = ""
    return "avx512_vnni" if "avx512_vnni" in flags else "avx2"


def quantised_file() -> str:
    """The int8 file's path inside an export folder (sentence-transformers names it after the config)."""
    config = quantisation_config()
    return f"onnx/model_{'quint8' if config == 'avx2' else 'qint8'}_{config}.onnx"


def onnx_file(quantised: bool) -> str:
    """The model file of the ``onnx`` (False) or ``onnx-int8`` (True) backend inside an export folder."""
    return quantised_file() if quantised else PLAIN_FILE


def exported_onnx_dir(model_path: str, cache_dir: Path, quantised: bool) -> Path:
    """Export the weights to ONNX (and quantise) once, locally; later processes reuse the files."""
    tag = hashlib.sha256(str(Path(model_path).resolve()).encode()).hexdigest()[:8]
    target = cache_dir / f"{Path(model_path).name}-{tag}-onnx"
    plain = target / PLAIN_FILE
    quant = target / quantised_file()
    if plain.exists() and (quant.exists() or not quantised):
        return target
    # Imported only here: a process that finds the export cached never loads torch.
    from sentence_transformers import SentenceTransformer, export_dynamic_quantized_onnx_model

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
    # Write into a temporary folder and rename, so a crash never leaves a half-written model behind, and two
    # processes exporting into a shared cache at once each replace whole files.
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
