"""Ingest: turn news sources into stored, searchable articles.

Data flows one way: source -> ArticleDraft -> Article -> Chunks -> embeddings -> Chroma.
This package never imports ``service``.
"""
