"""Service: answers questions from the archive — retrieval, answerers, citations, HTTP, Slack, CLI.

It imports ``ingest`` (models, store, embedder); ``ingest`` never imports it.
"""
