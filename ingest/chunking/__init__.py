"""Sentence splitting and token-budgeted chunking with exact character offsets."""

from ingest.chunking.chunker import Chunker
from ingest.chunking.sentences import sentence_spans

__all__ = ["Chunker", "sentence_spans"]
