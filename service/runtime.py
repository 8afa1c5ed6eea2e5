"""The loaded parts every command and request shares: settings, the embedder, the store.

Each part loads on first use and then lives for the process, so a CLI command that only
lists articles never loads the model, and a server loads everything once at start.
"""

from __future__ import annotations

import threading
from functools import cached_property

from ingest.embedding import Embedder, embedding_identity, load_embedder
from ingest.pipeline import Ingestor
from ingest.store import ArchiveStore, open_store
from service.settings import ServiceSettings


class Runtime:
    """Lazily loaded, process-wide parts of newsdesk."""

    def __init__(self, settings: ServiceSettings):
        self.settings = settings
        self._lock = threading.RLock()

    @cached_property
    def embedder(self) -> Embedder:
        """The embedding model (seconds to load; once per process)."""
        with self._lock:
            return load_embedder(self.settings.ingest)

    @cached_property
    def store(self) -> ArchiveStore:
        """The archive, opened for the embedder's vector space (without loading the model)."""
        with self._lock:
            name, dimension = embedding_identity(self.settings.ingest)
            return open_store(self.settings.ingest, name, dimension)

    @cached_property
    def ingestor(self) -> Ingestor:
        """The ingest pipeline over this runtime's store and embedder."""
        with self._lock:
            return Ingestor(self.settings.ingest, self.store, self.embedder)
