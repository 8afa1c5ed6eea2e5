"""What can stop the local model from being assembled or loaded; every message says what to do next."""

from __future__ import annotations


class LocalModelError(Exception):
    """The local model cannot be assembled or used; ``code`` names the case in a ``--json`` error."""

    code = "local_model_error"


class PartsMissingError(LocalModelError):
    """Some pinned part packages are not installed, or not at their pinned version."""

    code = "parts_missing"


class ModelMismatchError(LocalModelError):
    """The parts (or a file already assembled) are not the pinned model: wrong size or sha256."""

    code = "checksum_mismatch"
