"""The archive in Chroma: one collection of articles, one of chunks."""

from ingest.store.archive import ArchiveStore, ChunkHit, StoreError, StoreUnavailable
from ingest.store.client import open_store

__all__ = ["ArchiveStore", "ChunkHit", "StoreError", "StoreUnavailable", "open_store"]
