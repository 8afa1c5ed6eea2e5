"""Where the installed part packages keep their part files, found without running the packages' code.

Each part package has a ``get_part_path()`` returning ``<package>/data/partNN.bin``; the same file is found
here from the package's location (``importlib`` finds it without importing it), so no code of the parts'
anonymous publisher runs in newsdesk's process. The installed version must be the pinned one.
"""

from __future__ import annotations

import importlib.machinery
import importlib.metadata
from collections.abc import Sequence
from pathlib import Path

from service.local_llm.catalog import LocalModel, PartPackage
from service.local_llm.errors import PartsMissingError


def installed_part_paths(model: LocalModel, search_path: Sequence[str] | None = None) -> list[Path]:
    """The part files of ``model`` in order, from the packages installed on ``search_path`` (``sys.path``).

    :class:`PartsMissingError` lists every part that is missing or at another version than its pin.
    """
    paths: list[Path] = []
    problems: list[str] = []
    for part in model.parts:
        found = _part_file(part, search_path)
        version = _installed_version(part, search_path)
        if found is None or version is None:
            problems.append(f"{part.requirement} is not installed")
        elif version != part.version:
            problems.append(f"{part.distribution} is {version}, pinned {part.version}")
        else:
            paths.append(found)
    if problems:
        shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
        raise PartsMissingError(
            f"the {model.size} local model's parts are not all installed ({shown}): run `{model.make_command}`"
        )
    return paths


def _part_file(part: PartPackage, search_path: Sequence[str] | None) -> Path | None:
    spec = importlib.machinery.PathFinder.find_spec(part.module, None if search_path is None else list(search_path))
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / part.data_file
        if candidate.is_file():
            return candidate
    return None


def _installed_version(part: PartPackage, search_path: Sequence[str] | None) -> str | None:
    if search_path is None:
        found = importlib.metadata.distributions(name=part.distribution)
    else:
        found = importlib.metadata.distributions(name=part.distribution, path=list(search_path))
    for distribution in found:
        return distribution.version
    return None
