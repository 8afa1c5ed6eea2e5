"""The LLM backends ``NEWSDESK_LLM`` names: one module each, registered by name in :mod:`.registry`."""
