"""What can go wrong with the archive, said so a person can act on it: a ``StoreError``, or a
``StoreUnavailable`` worth retrying, from Chroma's own exceptions."""

from __future__ import annotations

import shutil
from pathlib import Path


class StoreError(RuntimeError):
    """The archive cannot do what was asked (bad configuration, incompatible collection, disk)."""


class StoreUnavailable(StoreError):
    """The Chroma server cannot be reached right now; worth retrying later."""


# Below this much free space an embedded archive's failure is put down to a full disk: Chroma
# then reports compaction or backfill errors that do not say so.
_LOW_DISK_BYTES = 1 << 20


def describe_failure(exc: Exception, disk_path: Path | None = None) -> StoreError:
    """Chroma's exception as a ``StoreError`` saying what a person can do about it.

    ``disk_path`` is the embedded archive's folder, checked for free space when Chroma's own
    message does not say what went wrong.
    """
    text = str(exc) or exc.__class__.__name__
    lowered = text.lower()
    if any(word in lowered for word in ("connect", "timed out", "timeout", "refused", "unreachable", "503", "502")):
        return StoreUnavailable(f"the Chroma server is unreachable: {text}")
    if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        where = f"the data folder {disk_path.parent}" if disk_path else "the archive"
        return StoreError(f"{where} is read-only; newsdesk needs to write there: {text}")
    if "disk" in lowered and "full" in lowered or "no space" in lowered:
        return StoreError(f"the disk holding the archive is full: {text}")
    if disk_path is not None:
        free = _free_bytes(disk_path)
        if free is not None and free < _LOW_DISK_BYTES:
            return StoreError(f"the disk holding the archive ({disk_path}) is full, {free // 1024} KB free: {text}")
    return StoreError(f"the archive failed: {text}")


def _free_bytes(path: Path) -> int | None:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return shutil.disk_usage(candidate).free
    return None
