"""The lexical (BM25) index of the archive, kept beside the store and updated write by write.

``index.py`` is the Tantivy index and its SQLite state file, ``follower.py`` keeps it in step with the store (this
process's writes at once, other processes' from the store's change feed, repair from the
store), ``tokens.py`` says what a word is.
"""

from __future__ import annotations

from ingest.lexical.follower import LexicalFollower, RepairReport
from ingest.lexical.index import LexicalFilter, LexicalHit, LexicalIndex, LexicalIndexBroken, index_path
from ingest.settings import IngestSettings
from ingest.store.archive import ArchiveStore

__all__ = [
    "LexicalFollower",
    "LexicalFilter",
    "LexicalHit",
    "LexicalIndex",
    "LexicalIndexBroken",
    "RepairReport",
    "attach_lexical_index",
    "index_path",
]


def attach_lexical_index(settings: IngestSettings, store: ArchiveStore) -> LexicalFollower:
    """Open this data folder's index of ``store`` (a broken file starts afresh) and have the store update it.

    Every write through ``store`` in this process then reaches the index as it commits; the
    returned follower brings in everyone else's writes (``catch_up``, ``follow``, ``repair``).
    """
    index = LexicalIndex.open_or_recreate(index_path(settings.data_dir, settings.collection_prefix))
    store.listeners.append(index)
    return LexicalFollower(index, store)
