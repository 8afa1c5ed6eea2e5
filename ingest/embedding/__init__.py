"""Sentence embeddings: the bundled all-MiniLM-L6-v2, loaded once per process."""

from ingest.embedding.embedder import Embedder, embedding_identity, load_embedder

__all__ = ["Embedder", "embedding_identity", "load_embedder"]
