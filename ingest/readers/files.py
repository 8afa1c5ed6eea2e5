"""Files and folders: pick the reader by suffix (or by content), walk folders in a fixed order.

- ``.txt``/``.text``/``.md``/``.markdown`` plain text; ``.html``/``.htm``/``.xhtml`` HTML;
  ``.json``/``.jsonl``/``.ndjson`` JSON; ``.xml``/``.rss``/``.atom``/``.feed``/``.rdf`` feeds
  (an ``.xml`` file that is really an HTML page goes to the HTML reader).
- Any other suffix: the content is sniffed for HTML, a feed or JSON; otherwise the file fails
  ("unsupported file type .pdf"), so that a journalist sees what was not ingested.
- Folders are walked recursively in sorted order (deterministic ids and reports), skipping hidden
  files and folders (names starting with "."); symbolic links to folders are not followed, which
  also rules out loops.
- Before reading: missing paths fail ("no such file or folder"), files over
  ``settings.max_file_bytes`` fail without being read ("file larger than N bytes"), empty files
  fail ("empty file"), binary files fail ("binary file, not text").
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ingest.models import ReadFailure, ReadItem
from ingest.normalise.text import looks_binary
from ingest.readers.detect import kind_from_suffix, sniff_kind
from ingest.readers.dispatch import read_as
from ingest.readers.protocol import ReadRequest
from ingest.settings import IngestSettings

__all__ = ["iter_files", "read_file", "read_path"]


def iter_files(folder: Path) -> Iterator[Path]:
    """Every non-hidden file under ``folder``, recursively, in sorted order."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root) / name for name in files if not name.startswith("."))
    yield from sorted(found, key=lambda p: p.relative_to(folder).parts)


def _error_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def read_file(path: Path, settings: IngestSettings, *, fetch: bool = False) -> Iterator[ReadItem]:
    """Read one file with the reader its suffix (or content) calls for."""
    origin = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        yield ReadFailure(origin=origin, reason="no such file or folder")
        return
    except OSError as exc:
        yield ReadFailure(origin=origin, reason=_error_reason(exc))
        return
    if size > settings.max_file_bytes:
        yield ReadFailure(origin=origin, reason=f"file larger than {settings.max_file_bytes} bytes")
        return
    if size == 0:
        yield ReadFailure(origin=origin, reason="empty file")
        return
    try:
        # Read at most one byte over the limit: the file may have grown since stat.
        with path.open("rb") as handle:
            data = handle.read(settings.max_file_bytes + 1)
    except OSError as exc:
        yield ReadFailure(origin=origin, reason=_error_reason(exc))
        return
    if len(data) > settings.max_file_bytes:
        yield ReadFailure(origin=origin, reason=f"file larger than {settings.max_file_bytes} bytes")
        return
    if not data.strip():
        yield ReadFailure(origin=origin, reason="empty file")
        return
    if looks_binary(data):
        yield ReadFailure(origin=origin, reason="binary file, not text")
        return

    kind = kind_from_suffix(path)
    if kind == "feed" and sniff_kind(data) == "html":
        kind = "html"
    if kind is None:
        kind = sniff_kind(data)
    if kind is None:
        suffix = path.suffix.lower()
        yield ReadFailure(
            origin=origin, reason=f"unsupported file type {suffix}" if suffix else "unsupported file type (no suffix)"
        )
        return
    yield from read_as(kind, ReadRequest(data, origin, settings, fetch=fetch))


def read_path(path: str | os.PathLike[str], settings: IngestSettings, *, fetch: bool = False) -> Iterator[ReadItem]:
    """Read a file, or every file of a folder (recursively); each item yields a draft or a failure."""
    target = Path(path).expanduser()
    if target.is_dir():
        for file in iter_files(target):
            yield from read_file(file, settings, fetch=fetch)
    elif target.exists():
        yield from read_file(target, settings, fetch=fetch)
    else:
        yield ReadFailure(origin=str(path), reason="no such file or folder")
