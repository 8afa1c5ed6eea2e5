"""Concatenate a model's parts into one GGUF, and keep it only if its size and sha256 are the pinned ones.

The parts are streamed in chunks (the 1.5B model is 1.1 GB) into a temporary file beside the target and
hashed on the way; only a verified file is renamed into place, so the target path never holds a partial or
unverified model, and a mismatch leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from service.local_llm.catalog import LocalModel
from service.local_llm.errors import ModelMismatchError
from service.local_llm.parts import installed_part_paths

CHUNK_BYTES = 8 * 1024 * 1024


class AssemblyProgress(Protocol):
    """Told how far a pass over ``total`` bytes has come: ``checking`` a file, or ``assembling`` the parts."""

    def start(self, phase: Literal["checking", "assembling"], total: int) -> None: ...

    def advance(self, done: int) -> None: ...


@dataclass(frozen=True)
class Assembly:
    """What ``newsdesk llm assemble`` did: ``assembled`` the model, or found it ``already_assembled``."""

    model: LocalModel
    path: Path
    status: Literal["assembled", "already_assembled"]
    seconds: float

    def record(self) -> dict[str, Any]:
        """The JSON document of ``newsdesk llm assemble --json``."""
        return {
            "status": self.status,
            "size": self.model.size,
            "model": self.model.name,
            "path": str(self.path),
            "bytes": self.model.size_bytes,
            "sha256": self.model.sha256,
            "seconds": round(self.seconds, 1),
        }


def assemble(
    model: LocalModel,
    models_dir: Path,
    parts: Sequence[Path] | None = None,
    progress: AssemblyProgress | None = None,
) -> Assembly:
    """Make ``model``'s GGUF in ``models_dir`` from ``parts`` (default: the installed part packages' files).

    A file already there that matches the pin is left as it is (``already_assembled``); one that does not is
    replaced. :class:`ModelMismatchError` if the parts do not add up to the pinned size and sha256;
    :class:`~service.local_llm.errors.PartsMissingError` if the part packages are not installed.
    """
    began = time.monotonic()
    target = model.path_in(models_dir)
    if target.is_file():
        if _digest([target], progress, "checking") == (model.size_bytes, model.sha256):
            return Assembly(model, target, "already_assembled", time.monotonic() - began)
        # Not the pinned model (truncated, or changed since): never left where the backend would load it.
        target.unlink()
    part_files = list(parts) if parts is not None else installed_part_paths(model)
    if len(part_files) != len(model.parts):
        raise ModelMismatchError(f"the {model.size} model has {len(model.parts)} parts, given {len(part_files)}")
    # The sizes add up without reading a byte: wrong parts are refused before 1 GB is written.
    total = sum(p.stat().st_size for p in part_files)
    if total != model.size_bytes:
        raise ModelMismatchError(_mismatch(model, total, "not computed"))
    models_dir.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=models_dir, prefix=f".{model.file_name}.", suffix=".partial")
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            got = _digest(part_files, progress, "assembling", out)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private (0600); the model is no secret and other local users may serve it.
        temp.chmod(0o644)
        if got != (model.size_bytes, model.sha256):
            raise ModelMismatchError(_mismatch(model, *got))
        os.replace(temp, target)
    finally:
        # Any failure, Ctrl-C included, leaves no partial file behind.
        temp.unlink(missing_ok=True)
    return Assembly(model, target, "assembled", time.monotonic() - began)


def _digest(
    files: Sequence[Path],
    progress: AssemblyProgress | None,
    phase: Literal["checking", "assembling"],
    out: Any = None,
) -> tuple[int, str]:
    """Size and sha256 of the concatenation of ``files``, copied to ``out`` on the way when given."""
    digest = hashlib.sha256()
    done = 0
    if progress:
        progress.start(phase, sum(f.stat().st_size for f in files))
    for path in files:
        with path.open("rb") as source:
            while chunk := source.read(CHUNK_BYTES):
                digest.update(chunk)
                if out is not None:
                    out.write(chunk)
                done += len(chunk)
                if progress:
                    progress.advance(done)
    return done, digest.hexdigest()


def _mismatch(model: LocalModel, got_bytes: int, got_sha256: str) -> str:
    return (
        f"{model.file_name} assembled from its parts does not match its pin, so nothing was kept: "
        f"expected {model.size_bytes:,} bytes, sha256 {model.sha256}; got {got_bytes:,} bytes, sha256 {got_sha256}. "
        f"Reinstall the pinned parts with `{model.make_command}`"
    )
