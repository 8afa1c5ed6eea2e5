"""The one-off ONNX export (and int8 quantisation) of a sentence-transformers model, cached on disk.

Exporting takes sentence-transformers, optimum and torch (about 10 s and 12 CPU-seconds of imports), so it
runs once per model, CPU kernel set and cache folder; every later process only reads the files. The cache is
per user by default (``IngestSettings.embed_cache_dir``), so a fresh data folder does not export again.
The int8 file is then made from the plain export by onnxruntime alone (fused, then quantised: ``_quantise``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import shutil
import warnings
from pathlib import Path

log = logging.getLogger(__name__)

PLAIN_FILE = "onnx/model.onnx"
# Architectures whose fused graph was checked against the plain one (others are quantised unfused).
_FUSABLE = {"bert"}
# The plain export with onnxruntime's transformer fusions applied offline (BERT-family models only).
FUSED_FILE = "onnx/model_fused.onnx"


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
    """The int8 file's path inside an export folder, quantised for this CPU's kernel set.

    Named ``model_fused_*`` since it is quantised from the fused graph (BERT family: the bundled model); a model
    onnxruntime cannot fuse is quantised from the plain export under the same name.
    """
    return f"onnx/model_fused_qint8_{quantisation_config()}.onnx"


def onnx_file(quantised: bool) -> str:
    """The model file of the ``onnx`` (False) or ``onnx-int8`` (True) backend inside an export folder."""
    return quantised_file() if quantised else PLAIN_FILE


def exported_onnx_dir(model_path: str, cache_dir: Path, quantised: bool) -> Path:
    """Export the weights to ONNX (and quantise) once, locally; later processes reuse the files."""
    tag = hashlib.sha256(str(Path(model_path).resolve()).encode()).hexdigest()[:8]
    target = cache_dir / f"{Path(model_path).name}-{tag}-onnx"
    if not (target / PLAIN_FILE).exists():
        _export(model_path, target)
    if quantised and not (target / quantised_file()).exists():
        # onnxruntime alone: a cache exported by an earlier version gains the new int8 file without torch.
        _quantise(target)
    return target


def _export(model_path: str, target: Path) -> None:
    """The full-precision ONNX export and the model's other files (tokenizer, pooling config) into ``target``."""
    # Imported only here: a process that finds the export cached never loads torch.
    from sentence_transformers import SentenceTransformer

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
    for produced in (tmp / "onnx").iterdir():
        (target / "onnx").mkdir(exist_ok=True)
        os.replace(produced, target / "onnx" / produced.name)
    for produced in tmp.iterdir():
        if produced.is_file():
            os.replace(produced, target / produced.name)
        elif produced.name != "onnx" and not (target / produced.name).exists():
            os.replace(produced, target / produced.name)
    shutil.rmtree(tmp, ignore_errors=True)


def _quantise(target: Path) -> None:
    """Fuse the plain export's transformer blocks (BERT family) and quantise it to int8, dynamically.

    Fused first because the quantiser then turns each attention block into one ``QAttention`` that keeps the
    attention scores in float: sentence-transformers' own quantiser, run on the unfused graph, also quantises
    the query-key and score-value products (48 integer matmuls, against 18 plus 6 ``QAttention``), and took
    about a quarter more CPU per chunk for vectors further from full precision (bench/README.md,
    "int8 from the fused graph"). Weights signed, per channel. Without VNNI (``avx2``) they keep 7 bits: the
    AVX2 kernel adds pairs of 8-bit products in 16 bits, which 7-bit weights cannot overflow, and it took 15 %
    less CPU per chunk than the unsigned weights optimum picks for AVX2, with vectors about as close to full
    precision (bench/README.md, "int8 on a CPU without VNNI", which also gives the recall cost on such a CPU).
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    source = _fuse(target) or target / PLAIN_FILE
    out = target / quantised_file()
    tmp = out.with_name(out.name + f".tmp{os.getpid()}")
    log.info("quantising %s to int8 (once)", source)
    # The quantiser's advice to pre-process (shape inference) goes to the root logger; it fits static
    # quantisation of image models, not this, and would only puzzle whoever runs their first ingest.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quantize_dynamic(
                source,
                tmp,
                weight_type=QuantType.QInt8,
                per_channel=True,
                reduce_range=quantisation_config() == "avx2",
                # The fused graph's com.microsoft operators defeat ONNX shape inference; their tensors are float.
                extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
            )
    finally:
        root.setLevel(level)
    os.replace(tmp, out)


def _fuse(target: Path) -> Path | None:
    """Write ``FUSED_FILE`` (attention, layer-norm and GELU fusions) for a BERT-family export; None for others."""
    try:
        config = json.loads((target / "config.json").read_text())
    except (OSError, ValueError):
        return None
    if config.get("model_type") not in _FUSABLE:
        return None
    from onnxruntime.transformers.optimizer import optimize_model

    out = target / FUSED_FILE
    if out.exists():
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = optimize_model(
            str(target / PLAIN_FILE),
            model_type="bert",
            num_heads=int(config.get("num_attention_heads", 0)),
            hidden_size=int(config.get("hidden_size", 0)),
            opt_level=0,  # the offline fusions only; the session applies its own graph optimisations at load
        )
    tmp = out.with_name(out.name + f".tmp{os.getpid()}")
    model.save_model_to_file(str(tmp))
    os.replace(tmp, out)
    return out
