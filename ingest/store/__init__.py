"""The archive in Chroma: one collection of articles, one of chunks."""

from ingest.store.archive import ArchiveStore, ChunkHit
from ingest.store.client import open_store
from ingest.store.errors import StoreError, StoreUnavailable

__all__ = ["ArchiveStore", "ChunkHit", "StoreError", "StoreUnavailable", "open_store"]
