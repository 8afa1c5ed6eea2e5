"""Connecting to Chroma: embedded by default, a server when ``NEWSDESK_CHROMA_URL`` is set."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import chromadb
from chromadb.config import Settings as ChromaSettings

from ingest.settings import IngestSettings
from ingest.store.archive import ArchiveStore
from ingest.store.errors import StoreError, StoreUnavailable, describe_failure

log = logging.getLogger(__name__)


def make_client(settings: IngestSettings) -> chromadb.ClientAPI:
    """A Chroma client for these settings; raises ``StoreUnavailable`` with a clear reason."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        parts = urlsplit(settings.chroma_url if "://" in settings.chroma_url else f"http://{settings.chroma_url}")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"NEWSDESK_CHROMA_URL must look like http://host:port, got {settings.chroma_url!r}")
        port = parts.port or (443 if parts.scheme == "https" else 8000)
        try:
            return chromadb.HttpClient(
                host=parts.hostname, port=port, ssl=parts.scheme == "https", settings=chroma_settings
            )
        except Exception as exc:  # chromadb raises plain ValueError/ConnectionError here
            raise StoreUnavailable(f"cannot reach the Chroma server at {settings.chroma_url}: {exc}") from exc
    path = settings.chroma_path
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the data folder {path}: {exc.strerror or exc}") from exc
    try:
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:
        failure = describe_failure(exc, path)
        raise StoreError(f"cannot open the archive under {path}: {failure}") from exc


def open_store(settings: IngestSettings, embed_model: str, dimension: int) -> ArchiveStore:
    """Open (creating if needed) the archive for vectors of ``embed_model``."""
    disk_path = None if settings.chroma_url else settings.chroma_path
    return ArchiveStore(
        make_client(settings),
        settings.collection_prefix,
        embed_model,
        dimension,
        disk_path=disk_path,
        change_retention_s=settings.change_retention_days * 86400,
    )
